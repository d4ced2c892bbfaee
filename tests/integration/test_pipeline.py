"""End to end on the real broker: raw articles in, enriched events and dead letters out."""

from __future__ import annotations

import json

import orjson
import pytest

from streams.contract.schema import CASUALTY_SCHEMA, ENRICHED_SCHEMA
from streams.contract.schema import schema_validator as validator

from .harness import as_json

pytestmark = pytest.mark.integration


def test_article_arrives_enriched_under_its_key(workers, shared_data):
    seed = json.loads((shared_data / "seed-article.gold.json").read_text())["article"]
    workers.start()
    workers.produce([(seed["id"], orjson.dumps(seed))])

    [record] = workers.consume(workers.settings.topics.enriched.name, 1)
    event = orjson.loads(record.value)
    assert record.key == seed["id"].encode()
    assert event["id"] == seed["id"] and event["body"] == seed["body"]
    validator(ENRICHED_SCHEMA).validate(event)
    canonical = {e["canonical"] for e in event["entities"]}
    assert {"Rupert Jones", "Syrian Democratic Forces", "Airwars"} <= canonical
    killed = sorted(f["count"]["min"] for f in event["casualties"] if f["outcome"] == "killed")
    assert killed == [603, 744]
    assert event["summary"]["killed"]["min"] != 603 + 744

    figures = as_json(workers.consume(workers.settings.topics.casualties.name, len(event["casualties"])))
    for figure_event in figures:
        validator(CASUALTY_SCHEMA).validate(figure_event)
    assert {f["event_id"] for f in figures} == {f["id"] for f in event["casualties"]}


def test_malformed_messages_are_dead_lettered_and_the_stream_goes_on(workers):
    workers.start()
    bad = [
        (b"not-json", b"this is not JSON", "not_json"),
        (b"no-body", orjson.dumps({"id": "no-body", "title": "x"}), "missing_field"),
        (b"body-int", orjson.dumps({"id": "body-int", "body": 42}), "wrong_type"),
        (b"huge", orjson.dumps({"id": "huge", "body": "killed " * (10 * 1024 * 1024 // 7)}), "too_large"),
        (b"bad-utf8", b'{"id": "bad-utf8", "body": "caf\xc3\x28 bombing"}', "invalid_utf8"),
    ]
    good = {"id": "good-after-bad", "body": "Two soldiers were killed in an ambush near Kandahar on Tuesday."}
    offsets = workers.produce([(key, value) for key, value, _ in bad] + [(good["id"], orjson.dumps(good))])

    letters = workers.consume(workers.settings.topics.dead_letter.name, len(bad))
    by_key = {letter.key: letter for letter in letters}
    assert len(letters) == len(bad)
    for (key, value, reason), offset in zip(bad, offsets, strict=False):
        letter = by_key[key]
        headers = {name: raw.decode() for name, raw in letter.headers}
        assert headers["dlq.reason"] == reason, headers
        assert letter.value == value, "the dead letter must carry the original bytes"
        assert headers["dlq.source.topic"] == workers.settings.topics.raw.name
        assert int(headers["dlq.source.offset"]) == offset
        assert headers["dlq.detail"]

    [enriched] = workers.consume(workers.settings.topics.enriched.name, 1)
    assert enriched.key == b"good-after-bad"
    assert orjson.loads(enriched.value)["summary"]["killed"]["min"] == 2
    assert all(w.process.poll() is None for w in workers.workers), "the worker must survive bad input"


def test_long_articles_take_the_long_lane_and_do_not_hold_up_short_ones(workers, shared_data):
    workers.env["STREAMS_WORKER_LONG_ARTICLE_CHARS"] = "2000"
    workers.start()
    paragraph = "Officials in Mosul said on Tuesday that the road to Erbil had reopened after repairs.\n"
    long_body = paragraph * 400 + "Rupert Jones of Airwars said 3 civilians were killed in Raqqa.\n"
    short = [{"id": f"short-{i}", "body": f"Two people were killed in Kabul, police said ({i})."} for i in range(40)]
    articles = [{"id": "long-1", "body": long_body}] + short
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles])

    records = workers.consume(workers.settings.topics.enriched.name, len(articles))
    published = {record.key.decode(): record.timestamp for record in records}
    events = {event["id"]: event for event in as_json(records)}
    assert set(events) == {a["id"] for a in articles}
    first_short = min(time for key, time in published.items() if key != "long-1")
    assert first_short < published["long-1"], "short articles sent after the long one should not wait for it"
    long_event = events["long-1"]
    validator(ENRICHED_SCHEMA).validate(long_event)
    for entity in long_event["entities"]:
        assert long_body[entity["start"] : entity["end"]] == entity["text"]
    assert {"Rupert Jones", "Airwars"} <= {e["canonical"] for e in long_event["entities"]}
    assert long_event["summary"]["killed"]["min"] == 3
