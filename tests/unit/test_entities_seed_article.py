"""The entity stage on the founding article: offsets, canonical names, ids, places and the entity summary
(the rules on single sentences are rule cases in tests/cases/entities)."""

import json
from pathlib import Path

import pytest

from streams.entities import EntityRecognizer, summarize_entities

SEED_ARTICLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "seed-article.gold.json"


@pytest.fixture(scope="module")
def recognizer():
    return EntityRecognizer()


@pytest.fixture(scope="module")
def seed(recognizer):
    if not SEED_ARTICLE.exists():
        pytest.fail(f"missing {SEED_ARTICLE}: the tests read shared/data beside the repository")
    body = json.loads(SEED_ARTICLE.read_text())["article"]["body"]
    return body, recognizer.recognize_batch([body])[0]


def mentions_of(mentions, text):
    return [m for m in mentions if m["text"] == text]


def test_offsets_point_into_the_body(seed):
    body, mentions = seed
    assert mentions
    for m in mentions:
        assert body[m["start"] : m["end"]] == m["text"]


def test_daesh_is_the_islamic_state_organisation(seed):
    _, mentions = seed
    daesh = mentions_of(mentions, "Daesh")
    assert daesh and all(m["label"] == "ORG" and m["canonical"] == "Islamic State" for m in daesh)
    assert {m["id"] for m in daesh} == {"org:islamic-state"}


def test_ain_issa_is_a_place_in_syria_also_in_the_dateline(seed):
    _, mentions = seed
    for text in ("Ain Issa", "AIN ISSA"):
        (m,) = mentions_of(mentions, text)
        assert m["label"] == "GPE" and m["country"] == "SY" and m["canonical"] == "Ain Issa"
        assert 36 < m["lat"] < 37 and 38 < m["lon"] < 39.5


def test_raqqa_and_raqa_are_one_place(seed):
    _, mentions = seed
    ids = {m["id"] for m in mentions_of(mentions, "Raqqa") + mentions_of(mentions, "Raqa")}
    assert ids == {"place:geonames:172955"}


def test_jones_is_grouped_with_rupert_jones(seed):
    _, mentions = seed
    jones = mentions_of(mentions, "Jones")
    assert len(jones) == 3
    assert {(m["label"], m["canonical"], m["id"]) for m in jones + mentions_of(mentions, "Rupert Jones")} == {
        ("PERSON", "Rupert Jones", "person:rupert-jones")
    }
    assert not [m for m in mentions if "," in m["text"]], "no 'Raqqa, Jones' span"


def test_other_expected_entities(seed):
    _, mentions = seed
    by_text = {m["text"]: m for m in mentions}
    for org in ("Syrian Democratic Forces", "Airwars", "AFP"):
        assert by_text[org]["label"] == "ORG"
    for place, country in (("Syria", "SY"), ("Iraq", "IQ"), ("Mosul", "IQ"), ("London", "GB")):
        assert by_text[place]["label"] == "GPE" and by_text[place]["country"] == country
    assert by_text["US-led coalition"]["id"] == "org:us-led-coalition"


def test_summary_counts_unique_entities(seed):
    _, mentions = seed
    summary = {e["id"]: e for e in summarize_entities(mentions)}
    assert summary["person:rupert-jones"]["mentions"] == 4
    raqqa = summary["place:geonames:172955"]
    assert raqqa["mentions"] == 6 and raqqa["country"] == "SY" and raqqa["geonames_id"] == 172955
    assert raqqa["first_offset"] == min(m["start"] for m in mentions if m["id"] == raqqa["id"])
