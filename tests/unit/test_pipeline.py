"""Batch processing without Kafka: every record becomes an enriched event or a dead letter, never nothing."""

import orjson

from streams.contract.schema import Limits
from streams.enrichment.batch import (
    BatchOutput,
    SourceRecord,
    content_hash,
    enrich_valid,
    validate_records,
    version_conflict,
)


class FakeEnricher:
    """Stands in for the NLP stages so the routing logic is tested alone; fails on bodies containing 'poison'."""

    def __init__(self):
        self.calls = []

    def enrich_batch(self, articles):
        self.calls.append([a["id"] for a in articles])
        if any("poison" in a["body"] for a in articles):
            raise RuntimeError("model failure")
        return [
            {
                **a,
                "casualties": [{"id": f"{a['id']}-f", "locations": [{"entity_id": "place:1", "country": "SY"}]}],
                "summary": {},
                "meta": {"event_id": a["id"]},
            }
            for a in articles
        ]


def process_records(records, enricher, limits):
    output = BatchOutput()
    enrich_valid(validate_records(records, limits, output), enricher, output)
    return output


def record(offset, value, key=None):
    return SourceRecord(key=key, value=value, topic="articles.raw", partition=0, offset=offset)


def test_every_record_is_accounted_for():
    records = [
        record(0, orjson.dumps({"id": "a", "body": "fine"})),
        record(1, b"garbage"),
        record(2, orjson.dumps({"id": "b", "body": "poison pill"})),
        record(3, orjson.dumps({"id": "c", "body": "also fine"})),
    ]
    enricher = FakeEnricher()
    output = process_records(records, enricher, Limits())

    assert [e["id"] for e in output.enriched] == ["a", "c"]
    assert [(d.record.offset, d.reason, d.stage) for d in output.dead_letters] == [
        (1, "not_json", "validate"),
        (2, "enrichment_failed", "enrich"),
    ]
    assert enricher.calls[0] == ["a", "b", "c"], "the batch is tried whole first"
    assert [c["place_key"] for c in output.casualties] == ["place:1", "place:1"]
    assert {stage for stage, _ in output.timings} == {"validate", "enrich"}


def test_dead_letter_headers_name_reason_and_source():
    output = process_records([record(41, b"\xff", key=b"k")], FakeEnricher(), Limits())
    [letter] = output.dead_letters
    headers = dict(letter.headers())
    assert headers["dlq.reason"] == b"invalid_utf8"
    assert headers["dlq.source.offset"] == b"41" and headers["dlq.source.topic"] == b"articles.raw"
    assert letter.record.value == b"\xff"


def test_same_id_with_another_body_needs_a_higher_revision():
    first = {"id": "a", "body": "Ten were killed."}
    seen = {"hash": content_hash(first), "revision": 0}
    assert version_conflict(None, first) is None
    assert version_conflict(seen, dict(first)) is None, "a replay of the same body is not a conflict"
    assert version_conflict(seen, {"id": "a", "body": "Twelve were killed."}).reason == "duplicate_id_conflict"
    assert version_conflict(seen, {"id": "a", "body": "Twelve were killed.", "revision": 1}) is None
