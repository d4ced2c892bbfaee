"""Hand-written sentences for the speed-ups (same results) and the accuracy rules of round 3."""

import pytest

from streams.casualties import extract_casualties
from streams.casualties import extract as ex
from streams.casualties.numbers import parse_count


def _summary(text, **kwargs):
    result = extract_casualties(text, **kwargs)
    return result.summary["killed"]["min"], result.summary["injured"]["min"]


# --- speed-ups must not change what is read ------------------------------------------------


def test_indexed_phrase_tables_find_what_a_full_scan_finds():
    for phrase, outcome, weak in ex._BEFORE:
        words = ["x"] + list(phrase)
        expected = next(item for item in ex._BEFORE if tuple(words[len(words) - len(item[0]):]) == item[0])
        assert ex._match_before(words, len(words) - 1) == expected
    for phrase, outcome, weak in ex._AFTER:
        words = list(phrase) + ["x"]
        expected = next(item for item in ex._AFTER if tuple(words[:len(item[0])]) == item[0])
        assert ex._match_after_at(words, 0) == expected
    assert ex._match_before(["killed"], 5) is None and ex._match_after_at(["killed"], 3) is None


@pytest.mark.parametrize("text,low", [("twenty-one", 21), ("a dozen", 12), ("between 20 and 30", 20),
                                      ("several", 3), ("tens of thousands", 10_000), ("1,200", 1200),
                                      ("at least 13", 13), ("half a dozen", 6), ("10-15", 10)])
def test_count_gate_keeps_every_count(text, low):
    parsed = parse_count(text.split(), 0)
    assert parsed is not None and parsed[0].min == low


def test_count_gate_skips_other_words():
    assert parse_count(["people"], 0) is None and parse_count([], 0) is None


def test_sentences_without_any_outcome_word_give_nothing():
    assert extract_casualties("Twelve people gathered in the square. The mayor spoke to 300 residents.").figures == []


# --- linking --------------------------------------------------------------------------------


def test_speaker_after_a_figure_is_not_a_victim():
    assert _summary("A bomb killed 17 civilians, a police officer said.") == (17, 0)
    assert _summary("The attack killed eight prisoners and wounded 20, the country's interior minister said.") == (8, 20)


def test_clause_after_a_comma_is_not_an_apposition():
    assert _summary("The blast killed at least 30, while 60 others were injured, police said.") == (30, 60)


def test_outcome_word_ends_the_scope_of_including():
    assert _summary("Five civilians including two children were killed and 12 injured in the attack.") == (5, 12)


def test_including_without_its_closing_comma():
    assert _summary("No fewer than six persons, including a police inspector were killed.") == (6, 0)


def test_accidentally_between_victim_and_trigger():
    assert _summary("A teen was accidentally shot in the leg on Saturday.") == (0, 1)


def test_determiner_and_age_is_a_person():
    assert _summary("A drive-by shooting wounded an 8-year-old and 2 others.") == (0, 3)


def test_age_and_name_are_one_person():
    assert _summary("The gunman killed 17-year-old Daniel Diaz and 19-year-old Ismael Diaz.") == (2, 0)


def test_sent_to_hospital_is_injured():
    assert _summary("A shooting sent four people to the hospital on Friday.") == (0, 4)
    assert _summary("Two men are in the hospital after the shooting.") == (0, 2)
    assert _summary("The shooting left one person dead and three others in the hospital.") == (1, 3)


def test_shot_one_fatally():
    assert _summary("Four teenagers were shot, one fatally, while sitting in a parked van.") == (1, 3)


def test_ages_after_person_nouns_are_not_counts():
    assert _summary("A girl, 15, was killed by masked gunmen.") == (1, 0)
    assert _summary("The shooting took the life of David Lee Hamilton Jr., 31, of Montgomery.")[0] != 31


def test_street_numbers_are_not_victims():
    assert _summary("Two men at 4077 Union Hill Road appeared to be dead.")[0] != 4077


def test_with_tail_reaches_the_verb():
    assert _summary("Five children playing with an unexploded mortar round were killed.") == (5, 0)
    assert _summary("Fresh violence has claimed 37 lives with scores injured.")[0] == 37


def test_trigger_word_used_as_adjective_in_a_tail():
    assert _summary("Militants killed 18 people in a displaced persons camp on Friday.") == (18, 0)


def test_uncounted_conjunct_before_the_verb():
    assert _summary("Final figures indicate 40 foreigners and Afghans were killed.") == (40, 0)


def test_listed_objects_after_a_pronoun():
    assert _summary("Militants stormed the house, killing him, his son and two guests, police said.") == (4, 0)


def test_long_object_then_and_another_victim():
    assert _summary("Gunmen killed a local leader of the ruling Bharatiya Janata Party and his brother.") == (2, 0)
    assert _summary("Unknown assailants killed the dean of the Faculty of Sciences at Aden University "
                    "and two of her children late on Monday.") == (3, 0)
    # a new clause after "and" is not another victim
    assert _summary("A girl accidentally shot her sister with a rifle and their father could face charges.") == (0, 1)


# --- summing --------------------------------------------------------------------------------


def test_others_after_another_outcome_means_other_than_those():
    text = ("A shooting left 3 dead and 2 wounded. The gunman opened fire, killing three men and "
            "wounding two others, officials said.")
    assert _summary(text) == (3, 2)


def test_the_other_of_a_pair_is_not_more():
    text = "A boy was shot in the arm on Sunday. Police said one of the boys accidentally shot the other."
    assert _summary(text) == (0, 1)


def test_a_later_incident_adds():
    text = ("Four civilians were killed and eight others wounded in air raids. Later on the same day, "
            "three women were killed and three others wounded in an air strike on a house.")
    assert _summary(text) == (7, 11)
    assert _summary("Four civilians were killed by a projectile. Two days later an air strike killed "
                    "at least two civilians.")[0] == 6


def test_a_later_revision_inside_a_sentence_does_not_add():
    text = "Five civilians were killed in the attack. The group later apologized for killing the child."
    assert _summary(text)[0] == 5


# --- context --------------------------------------------------------------------------------

_SEED_LIKE = ("The US-led coalition will have more to do in Syria, a commander said. "
              "According to the coalition, 603 civilians have been killed in US-led strikes on Iraq and Syria "
              "since the air campaign was launched in 2014. "
              "But Airwars, a London-based collective, says 744 civilians were killed in coalition strikes "
              "in Syria and Iraq in the month of June alone.")


def _entities(text):
    found, names = [], [("US-led coalition", "ORG"), ("US", "GPE"), ("Iraq", "GPE"), ("Syria", "GPE"),
                         ("London", "GPE"), ("Airwars", "ORG")]
    for name, label in names:
        start = 0
        while (start := text.find(name, start)) != -1:
            if not any(e["start"] <= start < e["end"] for e in found):
                found.append({"text": name, "label": label, "start": start, "end": start + len(name),
                              "id": f"{label}:{name}"})
            start += len(name)
    return found


def test_places_that_modify_someone_are_not_figure_locations():
    result = extract_casualties(_SEED_LIKE, published_at="2017-07-24", entities=_entities(_SEED_LIKE))
    for figure in result.figures:
        places = {place["text"] for place in figure["locations"]}
        assert "US" not in places and "London" not in places
        assert {"Iraq", "Syria"} <= places


def test_force_behind_the_strikes_is_the_perpetrator():
    result = extract_casualties(_SEED_LIKE, published_at="2017-07-24", entities=_entities(_SEED_LIKE))
    perpetrators = {figure["count"]["min"]: figure["perpetrator"] for figure in result.figures}
    assert perpetrators[603]["text"] == "US-led coalition" and perpetrators[744]["text"] == "US-led coalition"
    assert perpetrators[603]["entity_id"] == "ORG:US-led coalition"


def test_month_alone_period_is_read_whole_and_resolved():
    result = extract_casualties(_SEED_LIKE, published_at="2017-07-24")
    period = next(f["period"] for f in result.figures if f["count"]["min"] == 744)
    assert period == {"text": "in the month of June alone", "start": "2017-06-01", "end": "2017-06-30"}
    assert result.summary["killed"]["min"] == 0  # both are period tolls


def test_month_after_publication_is_last_year():
    result = extract_casualties("Four died in the month of December alone, officials said.", published_at="2020-03-05")
    assert result.figures[0]["period"]["start"] == "2019-12-01"


def test_toll_of_a_month_is_cumulative():
    assert _summary("The homicide came after 45 people were killed in July, police said.") == (0, 0)
    assert _summary("Crime stats for 2015 show 165 people were murdered.") == (0, 0)
    assert _summary("Five people were killed on July 4 in the city.") == (5, 0)


def test_passive_subject_is_not_the_perpetrator():
    figure = extract_casualties("Five people were killed in Kabul attacks on Monday.").figures[0]
    assert figure["perpetrator"] is None
    figure = extract_casualties("Ten civilians were killed in Russian airstrikes on Idlib.").figures[0]
    assert figure["perpetrator"]["text"] == "Russian"


def test_the_n_others_and_chained_others_are_not_more():
    assert _summary("Seven people were shot at the park on Sunday. The six others shot are expected to survive.") == (0, 7)
    assert _summary("A gunman opened fire, injuring 13 people. Bullets hit the park, wounding a 3-year-old boy "
                    "and a dozen other people.") == (0, 13)


def test_others_after_a_victim_in_an_earlier_sentence_still_add():
    assert _summary("A tribal elder was killed by a bomb. The explosion killed four others and wounded six.") == (5, 6)


@pytest.mark.parametrize("title,expected", [
    ("Teen Accidentally Shot Himself, Gun Recovered In Knoxville", (0, 1)),
    ("Cloquet Man Found Dead in Deer Stand", (1, 0)),
    ("Police Investigate Deaths of Adult, Child in Faribault", (2, 0)),
    ("Tacarra Morgan, 6, Shot In Englewood, Is Expected To Recover", (0, 1)),
])
def test_title_case_headlines(title, expected):
    assert _summary("Police are investigating.", title=title) == expected
