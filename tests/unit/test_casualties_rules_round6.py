"""Sixth round of general rules for the coded sets' errors, each on hand-written sentences
(no sentence is taken from a development set)."""

from .test_casualties_rules import summary


def test_dotted_abbreviations_stay_one_word():
    assert summary("Rebels killed a U.N. peacekeeper and four villagers near the border.")[0] == 5
    assert summary("The gunfire started at 9 p.m. and two guards were wounded.") == (0, 2)


def test_presumed_killed_is_a_toll():
    text = "One report gave 30 dead. Rescuers later said more than 70 miners were presumed killed."
    assert summary(text)[0] == 70
    assert summary("Nine fishermen are presumed dead after the boat was shelled.")[0] == 9


def test_a_toll_only_thought_possible_is_no_figure():
    text = ("Raiders killed about 20 herders. Medics counted 18 bodies, but the toll could be closer "
            "to 40. Elders later said 22 had been killed.")
    assert summary(text)[0] == 22
    assert summary("Nine guards died and officials fear the toll may rise to 15.")[0] == 9


def test_a_running_toll_since_a_day_is_a_period_total():
    text = "At least 12 farmers were killed in new raids, bringing the toll since Monday to more than 30."
    assert summary(text)[0] == 12


def test_a_victim_counted_by_rank_names_the_toll_reached():
    text = "Police shot dead four miners at the pit. A week later a fifth miner died in hospital."
    assert summary(text)[0] == 5
    assert summary("A second journalist was killed in the province this month.")[0] == 1  # no earlier toll
    assert summary("Two guards and a third man were killed at the gate.")[0] == 3  # one list


def test_a_number_beats_a_vague_word_restating_the_toll():
    text = "Raiders killed scores of herders in the valley. Elders said 14 herders were killed."
    assert summary(text)[0] == 14
    text = "Two singers were found murdered. Several singers have been killed in the region."
    assert summary(text)[0] == 2
    assert summary("Several traders were killed in the market fire.")[0] == 3  # no number: the convention


def test_names_joined_with_a_title_between_are_two_victims():
    text = "Police said drummer Ana Ruiz and bass player Luis Soto were found murdered."
    assert summary(text)[0] == 2
    assert summary("The killing of local engineer and teacher Omar Haddad shocked the town.")[0] == 1


def test_a_death_toll_far_from_its_number_is_still_read():
    text = ("Monitors put the death toll from the raid in which soldiers of the elite brigade stormed "
            "the hill villages of the northern district near the lake after a night of fighting with "
            "local defence groups at 23 villagers.")
    assert summary(text)[0] == 23


def test_lives_with_the_people_after_them_are_deaths():
    assert summary("The feud has claimed 17 lives of farmers in the district.")[0] == 17


def test_a_higher_estimate_set_off_by_commas_is_the_toll():
    assert summary("At least 30, and as many as 45, miners were killed in the raid.")[0] == 45
    assert summary("Some 12, possibly 16, villagers died in the fire.")[0] == 16
    assert summary("On May 5, 2016, two guards were shot dead.")[0] == 2


def test_slips_of_the_keyboard_in_key_words_are_read():
    assert summary("Gunmen kiled sevne farmers near the river.")[0] == 7
    assert summary("Shelling killed 12 peopl, inlcuding three children, in the market.")[0] == 12
    assert summary("There were three guards at the gate; none was hurt.")[0] == 0  # real words stay


def test_a_long_subject_with_an_including_apposition_reaches_its_verb():
    text = ("At least 11 members of the family of a local village chief, including two infants, were "
            "killed on Friday.")
    assert summary(text)[0] == 11


def test_an_untitled_chronology_of_days_adds_its_incidents():
    text = ("Six miners were killed on Monday when gunmen raided the pit. Raiders then shot dead two "
            "herders near the river on Thursday.")
    assert summary(text)[0] == 8
    text = "Nine traders were killed on Monday. Police said Tuesday that nine traders were killed."
    assert summary(text)[0] == 9  # the day it was said is no new incident
    text = "A judge was killed on Monday. Ana Ruiz, who was to rule on Friday's appeal, was shot dead."
    assert summary(text)[0] == 1  # one victim told twice
    assert summary(text, title="Judge killed")[0] == 1


def test_a_headline_keeps_the_body_days_to_one_incident():
    text = "Two men were shot dead on Friday night. Three men were shot dead on Saturday."
    assert summary(text, title="Two men shot dead in bar")[0] == 2


def test_an_attack_that_came_hours_after_another_adds_its_toll():
    text = ("Raiders killed two traders in the market on Friday. The raid came barely six hours after "
            "the same gang killed four farmers near the dam.")
    assert summary(text)[0] == 6
    assert summary("Three guards were killed. The news came as a shock to the town.")[0] == 3


def test_a_feud_that_claimed_people_killed_them():
    assert summary("The feud between the clans has claimed nine persons in the hills.")[0] == 9
    assert summary("The militia claimed the attack on the depot.")[0] == 0


def test_a_number_set_after_a_vague_word_says_what_it_means():
    assert summary("Gunmen stormed the market. There were several victims, 9 dead.")[0] == 9
    assert summary("Raids killed 4 soldiers and several villagers.")[0] == 7  # two groups: summed


def test_a_vague_group_counts_the_members_named_in_it():
    text = "Several rebels - including their deputy commander - were killed in the strike."
    assert summary(text)[0] == 1
    assert summary("Dozens of people, including 15 children, were killed in the shelling.")[0] == 15
    assert summary("Several rebels were killed in the strike.")[0] == 3


def test_a_counted_subgroup_of_an_uncounted_group_is_a_floor():
    assert summary("Villagers, including two teachers, were killed when the militia attacked.")[0] == 2
    text = "Six guards were killed at the depot. Many others, including a cook, suffered fatal wounds."
    assert summary(text)[0] == 7
    assert summary("Civilians, including children, were killed in the raid.")[0] == 0


def test_an_indefinite_victim_on_another_day_is_someone_new():
    text = "A settler killed a shepherd on 4 May. On the 6th, soldiers shot dead a suspect near the farm."
    assert summary(text)[0] == 2
    text = "A mayor was killed on Monday. Luis Soto, who was to speak at Friday's rally, was shot dead."
    assert summary(text)[0] == 1


def test_a_wounded_victim_who_died_afterwards_is_one_more_death():
    text = ("Three herders were killed and 14 wounded in the raid. Ten were taken to the district "
            "hospital, where one victim died.")
    assert summary(text)[0] == 4
    text = "Police said two men were shot and wounded. One of the victims later died in hospital."
    assert summary(text)[0] == 1
    assert summary(text.replace("Police said two", "Two"), title="Man dies after shooting")[0] == 1


def test_a_link_at_the_end_of_a_sentence_never_breaks_the_extractor():
    text = "Two guards were wounded. 3 military fatalities"
    assert summary(text) == (3, 2)


def test_another_alone_is_one_more_victim():
    assert summary("A guard was killed and another wounded at the checkpoint.") == (1, 1)
    assert summary("Gunmen fired on the bus, killing one passenger and wounding another.") == (1, 1)
    assert summary("Two farmers and another from the next village were killed.")[0] == 3
    assert summary("Shelling killed 6 people and wounded another 11.") == (6, 11)
    assert summary("The boy was charged with injuring another by careless use of a gun.")[1] == 0


def test_a_victim_injured_who_later_succumbed_was_killed():
    assert summary("A guard was injured in the blast and later succumbed to his wounds.") == (1, 0)


def _persons(text: str, *names: str) -> list[dict]:
    return [{"label": "PERSON", "start": text.index(name), "end": text.index(name) + len(name)} for name in names]


def test_another_named_person_killed_is_another_victim():
    text = ("Union leader Omar Haddad was gunned down outside his office. His deputy Karim Nasser was "
            "injured in the attack and later succumbed to his wounds.")
    assert summary(text, entities=_persons(text, "Omar Haddad", "Karim Nasser"))[0] == 2
    text = "Mayor Ana Ruiz was shot dead on her way home. Police said Ruiz was killed by two gunmen."
    assert summary(text, entities=_persons(text, "Ana Ruiz"))[0] == 1
    text = "Omar Haddad was gunned down. Karim Nasser was killed."
    assert summary(text, title="Union leader shot dead", entities=_persons(text, "Omar Haddad", "Karim Nasser"))[0] == 1


def test_households_listed_by_their_members_count_the_members():
    assert summary("The shell hit a house, killing two families: five children and three adults.")[0] == 8


def test_two_victims_with_the_and_left_out_before_a_plural_verb():
    assert summary("A judge her bodyguard were shot dead outside the court.")[0] == 2
    assert summary("A judge was shot dead outside her home.")[0] == 1
