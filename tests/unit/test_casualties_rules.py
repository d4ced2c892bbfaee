"""Rules added for the coded sets' systematic errors, each shown on hand-written sentences."""

import pytest

from streams.casualties import extract_casualties


def summary(text: str, **kwargs) -> tuple[int, int]:
    result = extract_casualties(text, **kwargs).summary
    return result["killed"]["min"], result["injured"]["min"]


def test_bodies_found_are_deaths():
    assert summary("Six bodies were found in a mass grave near the village.") == (6, 0)
    assert summary("Twenty eight bodies with bullet wounds were discovered on Saturday.") == (28, 0)


def test_object_then_to_death_is_killed():
    assert summary("Attackers hacked five farmers to death overnight.") == (5, 0)


def test_repeated_paragraphs_count_once():
    story = "Two men were shot and wounded outside a bar on Friday."
    filler = "Three people were wounded in an unrelated crash on the highway last month."
    assert summary(f"{story}\n\n{filler}\n\n{filler}\n\n{filler}") == summary(f"{story}\n\n{filler}")


def test_age_after_a_name_is_not_a_count():
    text = "John Carter, 33, and Mary Carter, 34, were shot and killed in their home."
    assert summary(text)[0] == 2


def test_street_names_are_not_victims():
    text = ("Two men opened fire near Main Street and South Avenue, and five people were wounded, "
            "police said.")
    assert summary(text) == (0, 5)


def test_period_cue_in_another_clause_does_not_make_a_toll_cumulative():
    text = ("At least seven people were shot dead during local elections in the hills, where an "
            "insurgency has left dozens killed in recent years.")
    assert summary(text)[0] == 7
    assert extract_casualties("Since 2014, 500 civilians have been killed.").summary["killed"]["min"] == 0


def test_since_followed_by_a_verb_is_not_a_period():
    assert summary("Five people have since died in hospital after the attack.")[0] == 5


def test_deadliest_since_is_not_a_period():
    assert summary("Rebels killed 16 people in their deadliest attack since 2017.")[0] == 16


def test_perpetrators_killed_with_their_victims_are_not_counted():
    assert summary("Ten people were killed along with two suicide bombers in the town.")[0] == 10
    # named perpetrators alone are still a toll, and gunmen/suspects always count
    assert summary("Two suicide bombers were killed when their vest exploded.")[0] == 2


def test_title_figures_describe_the_incident():
    body = "Five people were wounded on Saturday after a drive-by shooting at a gas station."
    assert summary(body, title="Deputies: 4 wounded in drive-by shooting") == (0, 4)


def test_title_is_still_revised_by_a_later_toll():
    body = "Two people were killed in the shooting. The death toll later rose to 3."
    assert summary(body, title="2 killed in shooting")[0] == 3


def test_active_shooting_is_a_weak_injury():
    assert summary("A man shot four people at a party early Sunday.") == (0, 4)
    assert summary("Police say the gunman shot three people, one of whom died.") == (1, 2)


def test_gunshot_wounds_and_hospital_are_weak_injuries():
    assert summary("Officers found two men with gunshot wounds outside the store.") == (0, 2)


def test_headline_victims_without_auxiliaries():
    assert summary("Nothing else.", title="10-year-old boy accidentally shoots self in arm") == (0, 1)
    assert summary("Nothing else.", title="4-year-old shot by brother") == (0, 1)
    assert summary("Nothing else.", title="Man shot on Main Street") == (0, 1)


def test_shot_then_died_is_killed():
    assert summary("Nothing else.", title="Boy shot while hunting dies") == (1, 0)
    assert summary("A 9-year-old boy shot during a hunting trip has died, deputies said.") == (1, 0)


@pytest.mark.parametrize("field", ["title", "body"])
def test_evidence_says_which_text_it_comes_from(field):
    body = "Three people were killed in the blast."
    result = extract_casualties(body, title="3 killed in blast")
    figures = [f for f in result.figures if f["evidence"]["field"] == field]
    assert figures
    for figure in figures:
        evidence = figure["evidence"]
        if field == "title":
            assert evidence["start"] is None and evidence["end"] is None
        else:
            assert body[evidence["start"]:evidence["end"]] == evidence["sentence"]


def test_masked_html_runs_of_spaces_keep_links():
    body = "   Five    civilians were killed and    <b>12</b>    others wounded."
    masked = body.replace("<b>", "   ").replace("</b>", "    ")
    assert len(masked) == len(body)
    result = extract_casualties(masked)
    assert (result.summary["killed"]["min"], result.summary["injured"]["min"]) == (5, 12)
    for figure in result.figures:
        assert masked[figure["evidence"]["start"]:figure["evidence"]["end"]] == figure["evidence"]["sentence"]


def test_strong_killing_trigger_beats_a_weak_wound_phrase():
    assert summary("The bodies of 2 civilians with gunshot wounds were found on the road.") == (2, 0)


def test_breakdown_adding_up_to_the_total_is_not_added():
    text = "Clashes resulted in 8 tribesmen killed, 5 from one clan and 3 from the other."
    assert summary(text)[0] == 8
