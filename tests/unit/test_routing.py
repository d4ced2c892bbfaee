"""The by-id copy of a raw record: keyed by article id, and naming the record it came from."""

from streams.enrichment.batch import DeadLetter, SourceRecord
from streams.enrichment.routing import forward_headers, origin_of, route_key


def raw(key=b"producer-key", timestamp=1700000000.25):
    return SourceRecord(
        key=key, value=b'{"id": "a1", "body": "x"}', topic="articles.raw", partition=3, offset=41, timestamp=timestamp
    )


def copy_of(record, headers):
    return origin_of(
        SourceRecord(key=b"a1", value=record.value, topic="app-articles.raw-by-id", partition=0, offset=7),
        headers,
    )


def test_the_copy_is_keyed_by_the_article_id():
    assert route_key({"id": "a1"}) == b"a1"
    assert route_key({"id": "caf\u00e9"}) == "caf\u00e9".encode()


def test_the_copy_names_the_raw_record_and_a_dead_letter_reports_and_carries_it():
    record = raw()
    copy = copy_of(record, forward_headers(record))
    assert copy.origin == record
    assert (copy.partition, copy.offset) == (0, 7), "delivery bookkeeping stays on the copy"
    assert copy.timestamp == record.timestamp, "end-to-end latency counts from the raw record"
    letter = DeadLetter(copy, "duplicate_id_conflict", "seen", "dedupe")
    headers = dict(letter.headers())
    assert (headers["dlq.source.topic"], headers["dlq.source.partition"], headers["dlq.source.offset"]) == (
        b"articles.raw",
        b"3",
        b"41",
    )
    assert letter.source.key == b"producer-key" and letter.source.value == record.value


def test_a_null_key_and_missing_time_survive_and_headers_may_be_a_mapping():
    record = raw(key=None, timestamp=None)
    copy = copy_of(record, dict(forward_headers(record)))
    assert copy.origin == record and copy.source.key is None


def test_a_record_without_the_headers_is_reported_as_it_is():
    copy = copy_of(raw(), [("other", b"x")])
    assert copy.origin is None and copy.source is copy
    assert copy_of(raw(), None).origin is None
