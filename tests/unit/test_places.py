"""The place stage: gazetteer lookups, context rules (tests/cases/places/*.jsonl) and the event it returns."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from streams.places import PlaceStage
from streams.places.knowledge import PlacesConfigError, load_knowledge
from streams.places.resolve import distance_km
from streams.places.stage import PLACE_FIELDS

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "places"


@pytest.fixture(scope="module")
def stage() -> PlaceStage:
    return PlaceStage()


def _entities(body: str, spec: list) -> list[dict]:
    """Entity mentions as the entity stage gives them, from [text, label] pairs (first occurrence in body)."""
    entities, searched = [], {}
    for text, label in spec:
        start = body.index(text, searched.get(text, 0))
        searched[text] = start + 1
        slug = "-".join(text.lower().split())
        entities.append(
            {
                "text": text,
                "label": label,
                "start": start,
                "end": start + len(text),
                "canonical": text,
                "id": f"{'place' if label in ('GPE', 'LOC', 'FAC') else label.lower()}:{slug}",
            }
        )
    return sorted(entities, key=lambda e: e["start"])


def _event(body: str, entities: list[dict], casualties: list[dict] | None = None) -> dict:
    return {
        "id": "case",
        "body": body,
        "entities": entities,
        "casualties": casualties or [],
        "summary": {"killed": {"min": 0, "max": 0}, "injured": {"min": 0, "max": 0}, "entities": []},
        "meta": {"schema_version": "1.0.0"},
    }


def _cases() -> list[dict]:
    rows = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["case"])
def test_context_rule(stage: PlaceStage, case: dict) -> None:
    event = _event(case["body"], _entities(case["body"], case["entities"]))
    if "title" in case:
        event["title"] = case["title"]
    place = stage.place_article(event)["summary"]["place"]
    assert place is not None, case["case"]
    expect = case["expect"]
    for field in ("country", "precision", "name"):
        if field in expect:
            assert place[field] == expect[field], (field, place)
    if "admin1" in expect:
        assert place["admin1"] and place["admin1"]["name"] == expect["admin1"], place
    if expect.get("has_point"):
        assert place["lat"] is not None and place["lon"] is not None, place
    if "near" in expect:
        lat, lon, km = expect["near"]
        assert distance_km(place["lat"], place["lon"], lat, lon) <= km, place
    if "not_near" in expect:
        lat, lon, km = expect["not_near"]
        assert distance_km(place["lat"], place["lon"], lat, lon) > km, place
    placed = stage.place_article(event)
    for text, fields in case.get("entities_expect", {}).items():
        entity = next(e for e in placed["entities"] if e["text"] == text)
        for field, value in fields.items():
            got = entity[field]["name"] if field == "admin1" and entity[field] else entity[field]
            assert got == value, (text, field, entity)
        assert entity["lat"] is not None and entity["lon"] is not None, entity
    for text in case.get("not_places", []):
        entity = next(e for e in placed["entities"] if e["text"] == text)
        assert entity["label"] not in ("GPE", "LOC", "FAC") and "country" not in entity, entity


def test_every_place_entity_and_location_has_the_fields(stage: PlaceStage) -> None:
    body = "Gunmen killed 5 people in Gary, Ind. on Sunday. Two others were wounded."
    entities = _entities(body, [["Gary", "GPE"]])
    figures = [
        {
            "id": "f1",
            "outcome": "killed",
            "count": {"min": 5, "max": 5},
            "in_incident_total": True,
            "cumulative": False,
            "locations": [{"text": "Gary", "entity_id": "place:gary", "canonical": "Gary", "country": None}],
            "evidence": {"sentence": body[:47], "start": 0, "end": 47},
        },
        {
            "id": "f2",
            "outcome": "injured",
            "count": {"min": 2, "max": 2},
            "in_incident_total": True,
            "cumulative": False,
            "locations": [],
            "evidence": {"sentence": body[48:], "start": 48, "end": len(body)},
        },
    ]
    placed = stage.place_article(_event(body, entities, figures))
    gary = next(e for e in placed["entities"] if e["text"] == "Gary")
    assert set(PLACE_FIELDS) <= set(gary) and gary["country"] == "US" and gary["admin1"]["code"] == "US-IN"
    assert gary["id"] == gary["entity_id"]
    first, second = placed["casualties"]
    assert first["locations"][0]["entity_id"] == gary["entity_id"]
    assert second["locations"][0]["inherited"] is True and second["locations"][0]["name"] == "Gary"
    assert placed["summary"]["place"]["entity_id"] == gary["entity_id"]
    summary_gary = next(e for e in placed["summary"]["entities"] if e["id"] == gary["entity_id"])
    assert summary_gary["country"] == "US" and summary_gary["mentions"] == 1


def test_a_place_in_the_title_counts(stage: PlaceStage) -> None:
    event = _event("Police said the boy was taken to hospital where he died.", [])
    event["title"] = "Boy, 7, shot dead in Gary, Ind."
    place = stage.place_article(event)["summary"]["place"]
    assert place is not None and place["admin1"]["name"] == "Indiana", place


@pytest.mark.parametrize(
    ("title", "admin1"),
    [
        ("Five Injured in Shooting at Pasadena Nightclub, Calif.", "California"),
        ("Man Shot Dead in Toledo Home", "Ohio"),
    ],
)
def test_a_title_case_name_is_cut_to_the_place_it_starts_with(stage: PlaceStage, title: str, admin1: str) -> None:
    event = _event("Police said the victims were taken to hospital.", [])
    event["title"] = title
    place = stage.place_article(event)["summary"]["place"]
    assert place is not None and place["admin1"]["name"] == admin1, place


def test_the_input_event_is_left_as_it_was(stage: PlaceStage) -> None:
    body = "Shelling on the town of Atarib in the western Aleppo countryside killed two children."
    event = _event(body, _entities(body, [["Atarib", "GPE"], ["Aleppo", "GPE"]]))
    before = copy.deepcopy(event)
    stage.place_article(event)
    assert event == before


def test_an_article_naming_no_place_has_none(stage: PlaceStage) -> None:
    placed = stage.place_article(_event("Officials said the talks would resume next week.", []))
    assert placed["summary"]["place"] is None


def test_a_rejection_line_passes_unchanged(stage: PlaceStage) -> None:
    line = {"id": "x", "error": {"reason": "empty_field", "detail": "empty line", "line": 3}}
    assert stage.place_article(line) is line


def test_gazetteer_knows_regions_towns_and_countries(stage: PlaceStage) -> None:
    g = stage.gazetteer
    kinds = {g.fields(c.place)["precision"] for c in g.lookup("Borno")}
    assert "admin1" in kinds
    afghanistan = [g.fields(c.place) for c in g.lookup("Afghanistan") if g.fields(c.place)["precision"] == "country"]
    assert afghanistan and afghanistan[0]["geonames_id"] == 1149361
    assert any(g.fields(c.place)["admin1"]["name"] == "Aleppo" for c in g.lookup("Al Atarib"))


def test_knowledge_tables_are_validated(tmp_path, monkeypatch) -> None:
    import streams.places.knowledge as knowledge

    for path in knowledge.CONFIG_DIR.glob("*.json*"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "countries.jsonl").write_text('{"country": "usa", "aliases": ["US"]}\n', encoding="utf-8")
    monkeypatch.setattr(knowledge, "CONFIG_DIR", tmp_path)
    load_knowledge.cache_clear()
    try:
        with pytest.raises(PlacesConfigError, match=r"countries\.jsonl:1"):
            load_knowledge()
    finally:
        load_knowledge.cache_clear()
