"""The incident stage: made-up reports in tests/cases/incidents, the toll rule, ids, merges, replays, the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from streams.contract.schema import load_schema
from streams.incidents.agent import publish_changes
from streams.incidents.matcher import MatchRule
from streams.incidents.report import incident_report
from streams.incidents.state import apply_report, new_region_state
from streams.incidents.toll import combined_tolls

CASES = Path(__file__).resolve().parents[1] / "cases" / "incidents"
VALIDATOR = jsonschema.Draft202012Validator(load_schema("incident.v1.json"))
PLACES = {
    "springfield_il": {
        "name": "Springfield",
        "entity_id": "place:geonames:4250542",
        "country": "US",
        "admin1": {"name": "Illinois", "code": "US-IL"},
        "admin2": "Sangamon County",
        "lat": 39.80172,
        "lon": -89.64371,
        "geonames_id": 4250542,
        "precision": "locality",
    },
    "springfield_mo": {
        "name": "Springfield",
        "entity_id": "place:geonames:4409896",
        "country": "US",
        "admin1": {"name": "Missouri", "code": "US-MO"},
        "admin2": "Greene County",
        "lat": 37.21533,
        "lon": -93.29824,
        "geonames_id": 4409896,
        "precision": "locality",
    },
    "peoria_il": {
        "name": "Peoria",
        "entity_id": "place:geonames:4905687",
        "country": "US",
        "admin1": {"name": "Illinois", "code": "US-IL"},
        "admin2": "Peoria County",
        "lat": 40.69365,
        "lon": -89.58899,
        "geonames_id": 4905687,
        "precision": "locality",
    },
}


def made_up_event(spec: dict) -> dict:
    """An enriched event (the fields the incident stage reads) from a compact made-up article."""
    body = spec["body"]
    entities = [
        {
            "text": name,
            "label": "PERSON",
            "start": m.start(),
            "end": m.end(),
            "canonical": name,
            "id": "person:" + name.lower().replace(" ", "-"),
        }
        for name in spec.get("persons", [])
        for m in re.finditer(re.escape(name), body)
    ]
    figures = []
    for n, figure in enumerate(spec["figures"]):
        start = body.index(figure["sentence"])
        figures.append(
            {
                "id": f"{spec['id']}-{spec.get('revision', 0)}-{n}",
                "outcome": figure["outcome"],
                "count": {
                    "min": figure["min"],
                    "max": figure.get("max", figure["min"]),
                    "qualifier": "exact",
                    "vague": False,
                },
                "victim_type": "civilian",
                "cumulative": False,
                "in_incident_total": True,
                "date": figure.get("date"),
                "locations": [],
                "evidence": {
                    "sentence": figure["sentence"],
                    "field": "body",
                    "start": start,
                    "end": start + len(figure["sentence"]),
                },
            }
        )
    summary: dict = {
        "entities": [
            {"id": e["id"], "canonical": e["canonical"], "label": "PERSON", "mentions": 1, "first_offset": e["start"]}
            for e in entities
        ],
        "place": PLACES[spec["place"]],
    }
    for outcome in ("killed", "injured"):
        stated = [f["count"] for f in figures if f["outcome"] == outcome]
        summary[outcome] = max(stated, key=lambda c: c["min"]) if stated else {"min": 0, "max": 0}
    event = {
        "id": spec["id"],
        "title": spec["title"],
        "body": body,
        "published_at": spec["published_at"],
        "entities": entities,
        "casualties": figures,
        "summary": summary,
        "meta": {"event_id": f"{spec['id']}@{spec.get('revision', 0)}"},
    }
    if "revision" in spec:
        event["revision"] = spec["revision"]
    return event


def run_stream(articles: list[dict], rule: MatchRule = MatchRule()) -> tuple[dict, list[tuple[str, dict | None]]]:
    """Every report through its region's state; the last record per id and every change published."""
    states: dict[str, dict] = {}
    last: dict[str, dict] = {}
    published = []
    for event in articles:
        report = incident_report(event)
        state = states.setdefault(report["region"], new_region_state(report["region"]))
        for key, record in apply_report(state, report, rule).publish:
            published.append((key, record))
            if record is None:
                last.pop(key, None)
            else:
                last[key] = record
    return last, published


def load_cases() -> list[dict]:
    cases = [json.loads(line) for path in sorted(CASES.glob("*.jsonl")) for line in path.open() if line.strip()]
    if not cases:
        pytest.fail(f"no incident cases in {CASES}")
    return cases


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case["name"])
def test_incident_case(case):
    rule = MatchRule(**case.get("rule", {}))
    last, published = run_stream([made_up_event(spec) for spec in case["articles"]], rule)
    for _, record in published:
        if record is not None:
            VALIDATOR.validate(record)
    live = sorted((r for r in last.values() if not r.get("merged_into")), key=lambda r: r["articles"])
    expected = sorted(case["expect"]["live"], key=lambda e: e["articles"])
    assert [r["articles"] for r in live] == [e["articles"] for e in expected]
    for record, expect in zip(live, expected, strict=True):
        for outcome in ("killed", "injured"):
            if outcome in expect:
                assert record[outcome] == expect[outcome], (outcome, record["sources"])
        if "roles" in expect:
            assert [s["role"] for s in record["sources"]] == expect["roles"]
        if "superseded" in expect:
            assert {s["article_id"]: s["superseded"] for s in record["sources"]} == expect["superseded"]
        if "version" in expect:
            assert record["version"] == expect["version"]
    assert sum(1 for r in last.values() if r.get("merged_into")) == case["expect"].get("merged", 0)


def test_a_replay_republishes_the_same_version_and_counts_once():
    case = next(c for c in load_cases() if c["name"].startswith("a replayed article"))
    first = made_up_event(case["articles"][0])
    state = new_region_state("US")
    [(key, record)] = apply_report(state, incident_report(first)).publish
    assert apply_report(state, incident_report(first)).publish == [(key, record)]
    assert len(state["incidents"][key]["record"]["sources"]) == 1


def test_ids_are_stable_across_replays_of_the_stream():
    articles = [made_up_event(spec) for case in load_cases() for spec in case["articles"]]
    assert sorted(run_stream(articles)[0]) == sorted(run_stream(articles)[0])


def test_a_merge_publishes_the_merged_record_first_then_the_absorbed_id():
    case = next(c for c in load_cases() if c["name"].startswith("a report that bridges"))
    _, published = run_stream([made_up_event(spec) for spec in case["articles"]], MatchRule(**case["rule"]))
    *_, (kept, merged), (absorbed, stub) = published
    assert merged["merged_from"] == [absorbed] and stub["merged_into"] == kept
    assert stub["version"] == 2


def test_an_update_supersedes_only_what_was_published_before_it():
    sources = [
        {"article_id": "a", "published_at": "2024-01-01", "said": {"killed": {"min": 2, "max": 2}}},
        {"article_id": "b", "published_at": "2024-01-02", "said": {"killed": {"min": 5, "max": 5, "update": True}}},
        {"article_id": "c", "published_at": "2024-01-03", "said": {"killed": {"min": 5, "max": None}}},
    ]
    assert combined_tolls(sources) == {"killed": {"min": 5, "max": None, "reports": 2}}
    assert [s["superseded"] for s in sources] == [["killed"], [], []]


class FakeTopic:
    def __init__(self):
        self.sent: list[tuple[bytes, bytes | None]] = []

    def send_soon(self, key, value):
        self.sent.append((key, value))


def test_the_agent_step_writes_the_region_index_and_the_incident_and_sends_each_change():
    case = next(c for c in load_cases() if c["name"] == "a restated toll joins")
    regions: dict = {}
    states: dict = {}
    topic = FakeTopic()
    for spec in case["articles"] + case["articles"][:1]:  # the first article replayed at the end
        publish_changes(regions, states, topic, incident_report(made_up_event(spec)), MatchRule())
    [index] = regions.values()
    keys = {key.decode() for key, _ in topic.sent}
    assert len(keys) == 1 and index["open"] == sorted(keys) and set(states) == keys
    versions = [json.loads(value)["version"] for _, value in topic.sent]
    assert versions == [1, 2, 2]


@pytest.fixture(scope="module")
def real_records(shared_data):
    """Incident records of real GVA pages (three incidents), enriched by the real pipeline."""
    from streams.enrichment.enricher import Enricher

    incidents = [json.loads(line) for line in (shared_data / "gva-incidents-dev.jsonl").open()][:3]
    pages = [
        {key: page[key] for key in ("id", "title", "published_at", "body")}
        for incident in incidents
        for page in incident["articles"]
    ]
    enriched = Enricher().enrich_batch(pages)
    enriched.sort(key=lambda e: (e["published_at"], e["id"]))
    return run_stream(enriched)


def test_real_records_are_valid(real_records):
    last, published = real_records
    assert published
    for _, record in published:
        if record is not None:
            VALIDATOR.validate(record)
    assert any(r.get("killed", {}).get("min") or r.get("injured", {}).get("min") for r in last.values())


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(load_schema("incident.v1.json"))


def test_the_live_view_keeps_the_last_value_per_id_and_drops_merged_and_tombstones():
    from streams.incidents.view import LiveIncidents

    case = next(c for c in load_cases() if c["name"].startswith("a report that bridges"))
    _, published = run_stream([made_up_event(spec) for spec in case["articles"]], MatchRule(**case["rule"]))
    view = LiveIncidents()
    for key, record in published:
        view.apply(key, record)
    [live] = view.query(country="US", admin1="Illinois", day_from="2024-03-01", day_to="2024-03-31")
    assert live["articles"] == ["m1", "m2", "m3"]
    assert view.totals(country="US") == {"incidents": 1, "killed": 3, "injured": 0}
    view.apply(live["id"], None)
    assert view.query() == []
