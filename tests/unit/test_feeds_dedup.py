"""Stable ids from canonical URLs, and the seen-state decisions: new, unchanged, updated, duplicate, failed."""

import pytest

from streams.sources.feeds.dedup import (
    SeenRecord,
    SeenState,
    Status,
    Verdict,
    article_id,
    canonical_url,
    content_hash,
    decode_record,
    encode_record,
)


@pytest.mark.parametrize(
    "url, canonical",
    [
        (
            "HTTPS://News.Example.ORG:443/World/Story?utm_source=rss&id=7&fbclid=x#comments",
            "https://news.example.org/World/Story?id=7",
        ),
        ("http://example.org", "http://example.org/"),
        ("http://example.org:8080/a?b=2&a=1&gclid=3", "http://example.org:8080/a?a=1&b=2"),
        ("https://example.org/a?UTM_Campaign=x&ref=home", "https://example.org/a"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_every_spelling_of_a_url_has_one_id():
    ids = {
        article_id(u)
        for u in ("https://example.org/a?utm_medium=feed", "https://EXAMPLE.org/a#top", "https://example.org:443/a")
    }
    assert len(ids) == 1 and ids.pop().startswith("url-")
    assert article_id("https://example.org/a") != article_id("https://example.org/A")


def test_content_hash_ignores_white_space_only():
    assert content_hash("Two  killed\n in Gaza") == content_hash("Two killed in Gaza ")
    assert content_hash("Two killed") != content_hash("Three killed")


def emitted(url="https://a.org/1", entry="e1", body="text one", revision=0):
    return SeenRecord(url, entry, Status.EMITTED, content_hash(body), revision)


def test_new_unchanged_updated_and_duplicate():
    state = SeenState()
    assert state.judge("a", content_hash("text one")) == (Verdict.NEW, None)
    state.put("a", emitted())
    assert not state.needs_fetch("a", "e1") and state.needs_fetch("a", "e2")
    assert state.judge("a", content_hash("text one"))[0] is Verdict.UNCHANGED
    assert state.judge("a", content_hash("text two")) == (Verdict.UPDATED, emitted())
    verdict, original = state.judge("b", content_hash("text one"))
    assert verdict is Verdict.DUPLICATE and original.url == "https://a.org/1"
    state.put("a", emitted(body="text two", revision=1))
    assert state.judge("b", content_hash("text one"))[0] is Verdict.NEW, "the old text is no longer owned by a"


def test_failures_are_retried_up_to_max_attempts_and_reset_by_a_changed_entry():
    state = SeenState(max_attempts=2)
    state.put("a", state.failed("a", "https://a.org/1", "e1"))
    assert state.needs_fetch("a", "e1")
    state.put("a", state.failed("a", "https://a.org/1", "e1"))
    assert state.records["a"].attempts == 2 and not state.needs_fetch("a", "e1")
    assert state.needs_fetch("a", "e2")
    assert state.failed("a", "https://a.org/1", "e2").attempts == 1


def test_an_emitted_article_that_fails_to_refetch_keeps_its_revision():
    state = SeenState()
    state.put("a", emitted(revision=3))
    failed = state.failed("a", "https://a.org/1", "e2")
    assert (failed.status, failed.revision, failed.attempts, failed.entry) == (Status.EMITTED, 3, 1, "e2")
    state.put("a", failed)
    assert state.needs_fetch("a", "e2") and state.judge("a", content_hash("text one"))[0] is Verdict.UNCHANGED


def test_records_round_trip_through_bytes():
    record = SeenRecord("https://a.org/2", "e", Status.DUPLICATE, "ab", duplicate_of="url-1")
    assert decode_record(encode_record(record)) == record
