"""Figures and summaries from small hand-written sentences (not dev data)."""

import json
from pathlib import Path

import pytest

from streams.casualties import extract_casualties

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def killed(text: str, **kwargs) -> int:
    return extract_casualties(text, **kwargs).summary["killed"]["min"]


def injured(text: str, **kwargs) -> int:
    return extract_casualties(text, **kwargs).summary["injured"]["min"]


@pytest.mark.parametrize("text, deaths", [
    ("5 soldiers and 3 civilians were killed in the ambush.", 8),
    ("6 fighters were killed by direct fire and 3 by IEDs.", 9),
    ("Gunmen killed 28 villagers on Monday and 35 more on Tuesday.", 63),
    ("At least 40 people were killed. The death toll later rose to 50, officials said.", 50),
    ("Twelve people were killed in the blast. The 12 victims were buried on Friday.", 12),
    ("Rebels shot dead the village chief.", 1),
    ("A man was killed when the bomb went off.", 1),
    ("Protesters marched through the capital on Sunday.", 0),
    ("At least 29 people, including 10 foreigners, were killed in the attack.", 29),
    ("Dozens of people were killed in the raid.", 12),
])
def test_incident_summary_adds_only_disjoint_groups(text, deaths):
    assert killed(text) == deaths


def test_title_repeating_the_toll_is_not_added_again():
    text = "Four people were killed in a shooting on Main Street, police said."
    assert killed(text, title="4 killed in Main Street shooting") == 4


def test_cumulative_tolls_stay_out_of_the_incident_total():
    result = extract_casualties("Since 2014, 500 civilians have been killed in the region.")
    assert result.summary["killed"]["min"] == 0
    assert result.summary["cumulative"][0]["min"] == 500
    assert result.figures[0]["cumulative"] is True


def test_injuries_and_qualifiers():
    result = extract_casualties("The bombing killed at least 12 people and wounded more than 40 others.")
    assert result.summary["killed"] == {"min": 12, "max": None}
    assert result.summary["injured"] == {"min": 40, "max": None}
    qualifiers = {f["outcome"]: f["count"]["qualifier"] for f in result.figures}
    assert qualifiers == {"killed": "at_least", "injured": "more_than"}


def test_shot_victim_who_died_is_not_also_injured():
    text = "Two men were shot late on Friday. One of the men died at the hospital."
    assert (killed(text), injured(text)) == (1, 1)


def test_figure_fields_are_complete_and_grounded():
    body = "On Monday, an airstrike by the coalition killed 7 civilians in Mosul, officials said."
    entities = [{"text": "Mosul", "label": "GPE", "start": body.index("Mosul"),
                 "end": body.index("Mosul") + 5, "canonical": "Mosul", "id": "e1", "country": "IQ"}]
    figure = extract_casualties(body, published_at="2017-07-26", entities=entities).figures[0]
    assert figure["outcome"] == "killed" and figure["count"]["min"] == 7
    assert figure["victim_type"] == "civilian" and figure["cause"] == "airstrike"
    assert figure["date"] == "2017-07-24"
    assert figure["according_to"] == "officials"
    assert figure["locations"] == [{"text": "Mosul", "entity_id": "e1", "canonical": "Mosul", "country": "IQ"}]
    evidence = figure["evidence"]
    assert body[evidence["start"]:evidence["end"]] == evidence["sentence"]
    assert "id" not in figure
    json.dumps(figure)


def test_subgroups_are_kept_inside_and_not_counted():
    result = extract_casualties("At least 29 people, including 10 foreigners, were killed.")
    assert result.summary["killed"]["min"] == 29
    assert result.figures[0]["subgroups"][0]["count"]["min"] == 10


def test_founding_article():
    path = SHARED_DATA / "seed-article.gold.json"
    if not path.exists():
        pytest.fail(f"founding example missing: expected {path} (the shared data checkout)")
    gold = json.loads(path.read_text(encoding="utf-8"))
    article = gold["article"]
    result = extract_casualties(article["body"], published_at=article["published_at"])
    for expected in gold["expected_casualties"]:
        assert any(f["outcome"] == "killed" and f["count"]["min"] == expected["count"]["min"]
                   and expected["according_to"].lower() in (f["according_to"] or "").lower()
                   and f["cumulative"] is True for f in result.figures), expected["count"]
    assert result.summary["killed"]["min"] == 0
