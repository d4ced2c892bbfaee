"""What the enrichment promises every consumer, whatever the input: evidence that is the body's own text, and a
dead letter that names a tombstone as one."""

import orjson
import pytest

from streams.contract.schema import Limits, Reason
from streams.enrichment.batch import BatchOutput, SourceRecord, validate_records
from streams.enrichment.enricher import Enricher


class NoEntities:
    """The entity stage left out: the casualty extractor runs on its own."""

    def recognize_batch(self, texts, batch_size=32):
        return [[] for _ in texts]


BODIES = {
    "markup": (
        "<p>Five <b>civilians</b> were killed in an air strike on Monday, officials said.</p>"
        "<script>var killed = 99;</script><div class='x'>Two <i>soldiers</i> were wounded.</div>"
    ),
    "plain": "Five civilians were killed in an air strike on Monday. Two soldiers were wounded.",
    "entities": "Seven people were killed &amp; <a href='/x'>twelve</a> injured in the blast.",
}


@pytest.fixture(scope="module")
def enriched():
    articles = [{"id": name, "body": body, "title": "3 killed in <em>attack</em>"} for name, body in BODIES.items()]
    return {event["id"]: event for event in Enricher(recognizer=NoEntities()).enrich_batch(articles)}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_evidence_sentence_is_the_body_between_its_offsets(enriched, name):
    event = enriched[name]
    body_figures = [f for f in event["casualties"] if f["evidence"]["field"] == "body"]
    assert body_figures, event["casualties"]
    for figure in body_figures:
        evidence = figure["evidence"]
        assert evidence["sentence"] == event["body"][evidence["start"] : evidence["end"]]


def test_markup_is_kept_in_the_evidence_and_still_not_read(enriched):
    figures = enriched["markup"]["casualties"]
    killed = [f for f in figures if f["outcome"] == "killed" and f["evidence"]["field"] == "body"]
    assert "<b>civilians</b>" in killed[0]["evidence"]["sentence"]
    assert all(f["count"]["min"] != 99 for f in figures), "script contents are not text"


def test_title_figures_keep_the_title_as_their_evidence(enriched):
    for event in enriched.values():
        for figure in event["casualties"]:
            if figure["evidence"]["field"] == "title":
                assert figure["evidence"]["start"] is None and figure["evidence"]["sentence"] in event["title"]


def test_a_tombstone_becomes_a_tombstone_dead_letter_with_a_null_value():
    records = [
        SourceRecord(key=b"gone", value=None, topic="articles.raw", partition=2, offset=7),
        SourceRecord(key=b"empty", value=b"", topic="articles.raw", partition=2, offset=8),
        SourceRecord(
            key=b"ok", value=orjson.dumps({"id": "ok", "body": "x"}), topic="articles.raw", partition=2, offset=9
        ),
    ]
    output = BatchOutput()
    valid = validate_records(records, Limits(), output)
    assert [record.offset for record, _ in valid] == [9]
    letters = {letter.record.key: letter for letter in output.dead_letters}
    assert letters[b"gone"].reason == Reason.TOMBSTONE == "tombstone"
    assert letters[b"gone"].record.value is None
    assert "tombstone" in letters[b"gone"].detail
    assert dict(letters[b"gone"].headers())["dlq.reason"] == b"tombstone"
    assert letters[b"empty"].reason == Reason.NOT_JSON, "empty bytes are a value, not a tombstone"
