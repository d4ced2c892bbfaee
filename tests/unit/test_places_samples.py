"""The bundled sample articles through the real enrichment and the place stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.places import place_article
from streams.places.resolve import distance_km

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "articles.jsonl"


@pytest.fixture(scope="module")
def placed() -> list[dict]:
    from streams.enrichment.enricher import Enricher

    articles = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [place_article(event) for event in Enricher().enrich_batch(articles)]


def _entity(events: list[dict], text: str) -> dict:
    return next(e for event in events for e in event["entities"] if e["text"] == text)


@pytest.mark.parametrize("name, country", [("Kwatara", "NG"), ("Atarib", "SY"), ("Borno State", "NG")])
def test_named_places_get_country_and_coordinates(placed: list[dict], name: str, country: str) -> None:
    entity = _entity(placed, name)
    assert entity["country"] == country and entity["lat"] is not None and entity["lon"] is not None, entity
    assert entity["admin1"] is not None, entity


def test_a_country_has_its_own_coordinates(placed: list[dict]) -> None:
    afghanistan = _entity(placed, "Afghanistan")
    assert afghanistan["precision"] == "country" and afghanistan["lat"] is not None
    assert distance_km(afghanistan["lat"], afghanistan["lon"], 34.53, 69.17) > 50  # not Kabul's point


def test_no_ministry_is_a_place(placed: list[dict]) -> None:
    for event in placed:
        for entity in event["entities"]:
            if "Ministry" in entity["text"]:
                assert entity["label"] not in ("GPE", "LOC", "FAC") and entity.get("country") is None, entity


def test_every_article_with_a_place_has_an_incident_place(placed: list[dict]) -> None:
    for event in placed:
        place = event["summary"]["place"]
        assert place is not None and place["country"], event["id"]
        for figure in event["casualties"]:
            assert figure["locations"], figure
