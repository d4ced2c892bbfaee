"""Fourth round of general rules for the coded sets' errors, each on hand-written sentences
(no sentence is taken from a development set)."""

from streams.casualties import extract_casualties


def summary(text: str, **kwargs) -> tuple[int, int]:
    result = extract_casualties(text, **kwargs).summary
    return result["killed"]["min"], result["injured"]["min"]


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
