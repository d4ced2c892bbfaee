"""Fourth round of general rules for the coded sets' errors, each on hand-written sentences
(no sentence is taken from a development set)."""

from .test_casualties_rules import summary


def test_martyred_is_killed():
    assert summary("Witnesses said nine villagers were martyred in the raid on Friday.")[0] == 9
    assert summary("Fighters martyred 4 guards at the checkpoint.")[0] == 4


def test_fatal_injuries_are_deaths():
    assert summary("Two pedestrians sustained fatal injuries when the truck bomb went off.")[0] == 2


def test_more_person_nouns_head_a_lone_victim():
    assert summary("Militants killed a nurse and her colleague near the clinic.")[0] == 2
    assert summary("Police said a paramedic died after gunmen fired on the ambulance.")[0] == 1
    assert summary("A party supporter was stabbed to death at the rally.")[0] == 1


def test_her_driver_is_a_person_not_a_pronoun():
    assert summary("A judge was shot dead on her way home. Her driver also died in the ambush.")[0] == 2


def test_a_couple_is_two_victims():
    assert summary("An elderly couple were found murdered in their farmhouse.")[0] == 2
    assert summary("Gunmen shot dead a young couple outside the market.")[0] == 2
    assert summary("A couple of traders were killed in the raid.")[0] == 2  # "a couple of" counts its noun


def test_a_body_found_is_one_death():
    assert summary("A decomposed body found near the dam was identified as a missing teacher.")[0] == 1
    assert summary("The activist was abducted on Monday and his body found two days later.")[0] == 1
    assert summary("The remains of four men were found in a well. Another body was recovered nearby.")[0] == 5
    assert summary("The governing body found that the rules had been broken.")[0] == 0
    assert summary("The student body was found to oppose the plan.")[0] == 0


def test_as_alone_does_not_coordinate_victims():
    assert summary("A stray bullet struck a boy, hitting his arm, as he walked to school.")[1] == 1


def test_toll_put_at_or_of_a_number_is_another_account():
    assert summary("Four people were killed in the blast. Residents put the death toll at 9.")[0] == 9
    assert summary("Police said 12 people died. Hospital staff gave a higher death toll of 15.")[0] == 15
    assert summary("At least 6 people died in the attack. The army gave a lower death toll of four.")[0] == 6


def test_original_toll_revised_is_not_summed():
    text = "An initial death toll of 80 across the three blasts was later revised downward to 62."
    assert summary(text)[0] == 62


def test_toll_of_deaths_and_injuries_is_not_a_death_toll():
    text = "Three people were killed in the riots. The toll of deaths and injuries has reached 45."
    assert summary(text)[0] == 3


def test_sustained_injuries_with_words_between():
    assert summary("Three traders were killed and 21 others sustained varying degrees of injuries.") == (3, 21)
    assert summary("Two guards suffered serious head injuries in the blast.") == (0, 2)


def test_remains_of_people_are_deaths():
    assert summary("The remains of four men were found in a shallow grave.")[0] == 4


def test_part_of_those_killed_is_a_subgroup():
    text = "Nine villagers were killed in the raid. Five of those killed were women, the chief said."
    assert summary(text)[0] == 9
    assert summary("Shelling killed at least 11 people, seven of them children.")[0] == 11
    assert summary("Five men were shot, two of them fatally.") == (2, 3)


def test_uncounted_conjunct_with_an_aside_before_the_verb():
    assert summary("14 men and boys, all herders, were killed at the watering hole.")[0] == 14


def test_aside_in_parentheses_inside_a_long_subject():
    text = ("At least nine porters working on the northern side of the border (the disputed strip) "
            "in the hill sector were killed on Monday.")
    assert summary(text)[0] == 9


def test_survivors_are_not_elliptical_victims():
    text = "Five miners were killed and three others, including a boy, escaped unhurt from the pit."
    assert summary(text)[0] == 5


def test_n_from_one_family_breaks_the_toll_down():
    assert summary("Eleven villagers were killed, six from one family, in the night raid.")[0] == 11


def test_reflexive_object_is_the_subject():
    assert summary("A detained activist killed himself in his cell, officials said.")[0] == 1
    assert summary("Police said the farmer killed herself after the raid.")[0] == 1


def test_bare_singular_object_of_a_killing_verb():
    assert summary("Bandits kill respected village elder in dawn raid.")[0] == 1
    assert summary("Police arrest two men for killing local trader.")[0] == 1


def test_death_caused_by_a_dispersed_protest_counts():
    text = "Police used live rounds to disperse a protest in the city, resulting in the death of a student."
    assert summary(text)[0] == 1
    assert summary("Hundreds joined a protest against the killing of a student last year.")[0] == 0


def test_more_than_is_a_qualifier_not_another_group():
    text = "At least 30 people died in the riots. Officials said the crackdown led to the killing of more than 25 people."
    assert summary(text)[0] == 30


def test_later_sentences_that_break_a_toll_down_are_not_added():
    text = ("Air strikes killed seven civilians in the province. Four of the victims died in the village "
            "of Ain, while the other three were killed in raids on the town of Tell.")
    assert summary(text)[0] == 7
    text = ("Raids killed six civilians on Sunday. Three civilians were killed in the market. Another "
            "civilian died in the nearby town, while two women were also killed on the farm road.")
    assert summary(text)[0] == 6
    text = ("Gunmen killed at least four people. Two farmers, a teacher and one other person were "
            "killed in the village.")
    assert summary(text)[0] == 4


def test_group_after_a_qualifying_phrase_and_other_people():
    text = "Six guards from a private firm and two other people were found dead in the warehouse."
    assert summary(text)[0] == 8


def test_active_verb_governs_a_count_before_its_qualifying_tail():
    text = "Rebels have killed at least four hostages from a group of nine seized last week."
    assert summary(text)[0] == 4


def test_lone_victim_with_long_apposition_has_been_killed():
    text = ("Rosa Mendes, the founder of a cooperative that helps farmers sell their coffee in the "
            "northern hills of the province, has been murdered at her home.")
    assert summary(text)[0] == 1


def test_nationality_before_a_bare_singular_object():
    assert summary("The killing of Iraqi engineer Omar Saleh was condemned by the union.")[0] == 1


def test_lone_noun_phrase_and_n_others():
    assert summary("A district head and 9 others were killed by gunmen in the market.")[0] == 10
    assert summary("Six traders from a local cooperative and two other people were found dead.")[0] == 8


def test_object_list_with_an_acronym_in_parentheses():
    text = "Gunmen shot dead an official of the Farmers Union (FU) and his son in the town."
    assert summary(text)[0] == 2


def test_time_before_opens_another_incident():
    text = ("Two protesters were killed in the capital on Friday. A week earlier, clashes in the "
            "north left three people dead.")
    assert summary(text)[0] == 5


def test_attackers_inside_a_total_are_not_victims():
    text = "Nine people, including six villagers and three attackers, were killed in the raid."
    assert summary(text)[0] == 6


def test_number_after_a_day_and_month_is_a_count():
    assert summary("On 12 March four farmers were killed near the river.")[0] == 4


def test_number_labelling_a_ward_is_not_a_count():
    assert summary("The councillor for ward 3, John Bello was shot dead by gunmen.")[0] == 1


def test_death_of_another_medic_is_one_more_victim():
    text = ("A nurse was killed when the clinic was shelled. A second clinic was hit later, "
            "resulting in the death of another nurse.")
    assert summary(text)[0] == 2


def test_long_apposition_opened_by_both():
    text = ("Two sisters, both teachers at the village school and members of the local women's "
            "association, were shot dead on their way home.")
    assert summary(text)[0] == 2


def test_subgroup_apposition_ending_in_a_name():
    text = "Seven people, including three guards of the governor of the province, Ali Hassan, were killed."
    assert summary(text)[0] == 7


def test_along_with_after_a_long_bare_passive_subject():
    text = ("A veteran reporter known for exposing corruption among officials in the port was shot "
            "dead outside his office along with his driver.")
    assert summary(text)[0] == 2


def test_date_between_a_killing_verb_and_its_count():
    text = "The report blamed the militia for killing on March 3 at least 14 herders near the lake."
    assert summary(text)[0] == 14
    assert summary("Soldiers killed on Friday six fishermen on the river.")[0] == 6
