"""Third round of general rules for the coded sets' errors, each on hand-written sentences
(no sentence is taken from a development set)."""

from .test_casualties_rules import summary


def test_lone_victim_named_twice_by_apposition_is_one():
    assert summary("Gunmen shot dead Maria Lopez, 52, a local councillor, outside her shop.")[0] == 1
    assert summary("Bandits killed the district head, Chief Musa Bello in a raid on the town.")[0] == 1
    assert summary("A long-time aide of the governor, Peter Obi was assassinated on Tuesday.")[0] == 1


def test_lone_victims_in_a_list_still_add_up():
    assert summary("Gunmen killed a farmer, a teacher and a student on the road.")[0] == 3
    assert summary("Attackers killed the mayor, his driver and a police officer.")[0] == 3


def test_headline_comma_still_joins_two_victims():
    assert summary("Police found the bodies.", title="Woman, boyfriend killed in daytime shooting")[0] == 2


def test_slash_inside_victim_noun_phrase():
    assert summary("On Friday, 40 people/villagers were killed in a raid on the market.")[0] == 40


def test_family_of_n_counts_its_members():
    assert summary("Gunmen massacred a family of six in their home near the border.")[0] == 6
    assert summary("A family of four was evicted and two men were killed.")[0] == 2


def test_quoted_verb_then_victims_to_death():
    assert summary('Villagers said a crowd "beat and stoned" 4 suspected thieves to death on Sunday.')[0] == 4


def test_death_sentence_is_not_a_killing():
    assert summary("A military court sentenced 5 soldiers to death for desertion on Monday.")[0] == 0


def test_long_counted_subject_reaches_its_verb():
    text = ("Nine traders from the northern market town of Kaura in the hills of Plateau state "
            "were killed on Monday.")
    assert summary(text)[0] == 9
    # another group or a clause in between keeps the verb away from the first count
    assert summary("Five soldiers guarded the camp where 3 residents were killed.")[0] == 3


def test_earlier_that_day_opens_another_incident():
    text = ("Militants killed four farmers in Kala on Tuesday. Earlier that day, the same group "
            "shot dead two herders near the river.")
    assert summary(text)[0] == 6
    # a later report of the same toll is not added
    assert summary("Militants killed four farmers. Police later said four farmers were killed.")[0] == 4


def test_another_source_is_not_another_group():
    text = ("An airstrike hit the prison. One account said 50 inmates were killed. "
            "Another said that 44 inmates had been killed.")
    assert summary(text)[0] == 50
    assert summary("Four people were killed. Another three were killed in a second blast.")[0] == 7


def test_sentences_opening_with_different_dates_are_separate_incidents():
    text = ("On the 3rd, soldiers shot dead two protesters in the capital. "
            "On the 5th, three more demonstrators were killed in the north.")
    assert summary(text)[0] == 5
    text = ("On 2 May, gunmen killed three villagers. On 4 May, police killed a suspect in the attack.")
    assert summary(text)[0] == 4
