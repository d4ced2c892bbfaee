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
