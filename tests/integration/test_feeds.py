"""Feeds to articles on the real broker: a local news site on 127.0.0.1, the poller, a real worker.

Nothing here reaches beyond 127.0.0.1: the fixture feeds and pages are served by `FixtureSite`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import orjson
import pytest
from kafka import TopicPartition

from streams.kafka.clients import raw_consumer
from streams.sources.feeds.config import load_feeds_config
from streams.sources.feeds.dedup import article_id
from streams.sources.feeds.run import Poller
from tests.fixtures.feeds.site import (
    DEAD_FEED,
    HUGE_PAGE,
    NEWSROOM_PAGES,
    SERVER_ERROR_PAGE,
    SLOW_PAGE,
    FixtureSite,
    serve_newsroom,
    write_feeds_file,
)

from .harness import REPO_ROOT

pytestmark = pytest.mark.integration

RELIEFWEB, UN_NEWS, COURIER, MONITOR = (
    "/reliefweb/updates/rss.xml",
    "/un-news/feed/humanitarian-aid.atom",
    "/courier/world/rss.xml",
    "/monitor/rss.xml",
)
SUDAN = "/reliefweb/report/sudan/shelling-displacement-camp-near-el-fasher"
PRIVATE_PAGE = "/courier/private/2025/03/02/exclusive"
BOILERPLATE = ("cookies", "Subscribe", "Related", "Share on", "Skip to main content", "Most read", "Advertisement")


@pytest.fixture
def site():
    with FixtureSite() as site:
        serve_newsroom(site, slow_seconds=6.0, huge_bytes=300_000)
        yield site


@pytest.fixture
def feeds_file(workers, site, tmp_path):
    """Feeds file for this test's isolated pipeline; its seen-state topic is as unique as the other topics."""

    def write(*feed_paths: str):
        seen = workers.settings.topics.raw.name.replace("articles.raw", "feeds.seen")
        return write_feeds_file(tmp_path / "feeds.toml", site, list(feed_paths), seen)

    return write


def run_poller_process(workers, feeds_file) -> str:
    """`streams feeds run --once` as its own process, as an operator would run it; returns its progress lines."""
    env = {**os.environ, **workers.env, "STREAMS_FEEDS_FILE": str(feeds_file), "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "streams", "feeds", "run", "--once"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result.stdout


def read_all(settings, topic: str) -> list:
    """Every record of `topic` up to its current end."""
    consumer = raw_consumer(settings)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        records: list = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        return sorted(records, key=lambda r: r.timestamp)
    finally:
        consumer.close()


def progress(output: str, source: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(f"feeds: {source} <")]
    return line


def test_each_article_once_enriched_then_nothing_then_a_new_revision(workers, site, feeds_file):
    feeds = feeds_file(RELIEFWEB, UN_NEWS)
    workers.start()
    raw_topic, enriched_topic = workers.settings.topics.raw.name, workers.settings.topics.enriched.name

    output = run_poller_process(workers, feeds)
    assert "new 3, updated 0, skipped 0, failed 0" in progress(output, "ReliefWeb")
    # The UN News flood story is the ReliefWeb one under another URL: same text, not emitted twice.
    assert "new 1, updated 0, skipped 1, failed 0" in progress(output, "UN News")
    records = read_all(workers.settings, raw_topic)
    articles = [orjson.loads(r.value) for r in records]
    assert len(articles) == 4 and len({a["id"] for a in articles}) == 4
    for record, article in zip(records, articles, strict=False):
        assert record.key == article["id"].encode() == article_id(article["url"]).encode()
        assert "utm_" not in article["url"] and "#" not in article["url"]
        assert article["revision"] == 0 and article["language"] == "en"
        assert article["source"] in ("ReliefWeb", "UN News") and article["published_at"].startswith("2025-03-0")
        assert len(article["body"]) > 300 and not article["body"].startswith(article["title"])
        assert not [word for word in BOILERPLATE if word in article["body"]], article["body"]
    sudan = next(a for a in articles if "El Fasher" in a["title"])
    assert sudan["body"].startswith("At least 14 civilians, including five children, were killed")
    assert sudan["url"] == site.url(SUDAN) and sudan["author"] == "OCHA"

    enriched = [orjson.loads(r.value) for r in workers.consume(enriched_topic, 4)]
    assert sorted(e["id"] for e in enriched) == sorted(a["id"] for a in articles)
    assert any(f["outcome"] == "killed" for e in enriched for f in e["casualties"])

    # A restarted poller (new process, state read back from the compacted topic) adds nothing.
    output = run_poller_process(workers, feeds)
    assert "new 0, updated 0, skipped 3, failed 0" in progress(output, "ReliefWeb")
    assert "new 0, updated 0, skipped 2, failed 0" in progress(output, "UN News")
    assert len(read_all(workers.settings, raw_topic)) == 4

    # The publisher corrects the toll and the feed announces the edit: one new revision under the same key.
    site.edit(SUDAN, "At least 14 civilians", "At least 19 civilians")
    site.edit(RELIEFWEB, "Mon, 03 Mar 2025 07:15:00 +0000", "Mon, 03 Mar 2025 13:40:00 +0000")
    output = run_poller_process(workers, feeds)
    assert "new 0, updated 1, skipped 2, failed 0" in progress(output, "ReliefWeb")
    records = read_all(workers.settings, raw_topic)
    assert len(records) == 5
    revised = orjson.loads(records[-1].value)
    assert records[-1].key == sudan["id"].encode()
    assert revised["revision"] == 1 and revised["body"].startswith("At least 19 civilians")

    enriched = [orjson.loads(r.value) for r in workers.consume(enriched_topic, 5)]
    assert [e["body"][:20] for e in enriched if e["id"] == sudan["id"]] == [
        "At least 14 civilian",
        "At least 19 civilian",
    ]


def test_failures_are_dead_lettered_with_their_reason_and_the_other_feeds_keep_flowing(workers, site, feeds_file):
    config = load_feeds_config(feeds_file(DEAD_FEED, MONITOR, COURIER, RELIEFWEB), environ={})
    lines: list[str] = []
    poller = Poller(workers.settings, config, report=lines.append)
    poller.start()
    try:
        poller.run(once=True)
    finally:
        poller.close()
    output = "\n".join(lines)

    letters = {
        dict(r.headers)["dlq.source.url"].decode(): r
        for r in read_all(workers.settings, workers.settings.topics.dead_letter.name)
    }
    expected = {
        DEAD_FEED: ("http_error", b"<html><body><h1>500</h1></body></html>"),
        MONITOR: ("feed_malformed", site.routes[MONITOR].body),
        SERVER_ERROR_PAGE: ("http_error", b"<html><body><h1>500</h1></body></html>"),
        SLOW_PAGE: ("timeout", b""),
        "/courier/live/2025/03/02/app-shell": (
            "no_text",
            site.fixture(NEWSROOM_PAGES["/courier/live/2025/03/02/app-shell"]),
        ),
        HUGE_PAGE: ("too_large", b""),
        PRIVATE_PAGE: ("robots_disallowed", b""),
    }
    assert sorted(letters) == sorted(site.url(path) for path in expected)
    for path, (reason, value) in expected.items():
        letter = letters[site.url(path)]
        headers = {name: raw.decode() for name, raw in letter.headers}
        assert (headers["dlq.reason"], headers["dlq.stage"]) == (reason, "feeds"), headers
        assert headers["dlq.detail"] and headers["dlq.source.feed"].startswith(site.base)
        assert letter.value == value, path
    assert site.hits(DEAD_FEED) == site.hits(SERVER_ERROR_PAGE) == 2, "a 500 is retried once (retries = 1)"
    assert site.hits(PRIVATE_PAGE) == 0, "robots.txt must be honoured"
    assert all(headers["user-agent"] == "news-streams/0.1.0 (feeds tests)" for _, headers in site.requests)

    assert "failed 1" in progress(output, "Dead Wire") and "failed 1" in progress(output, "Regional Monitor")
    assert "new 1, updated 0, skipped 0, failed 5" in progress(output, "The Daily Courier")
    assert "new 3, updated 0, skipped 0, failed 0" in progress(output, "ReliefWeb")
    titles = sorted(
        orjson.loads(r.value)["title"] for r in read_all(workers.settings, workers.settings.topics.raw.name)
    )
    assert titles == sorted(
        [
            "Bus bombing in Quetta kills 9, injures 22",
            "Flash floods in northern Afghanistan leave 31 dead, UN agencies say",
            "Haiti: Gang attacks displace 3,000 people in Port-au-Prince",
            "Sudan: Shelling of displacement camp near El Fasher kills 14 civilians",
        ]
    )
    quetta = next(
        orjson.loads(r.value)
        for r in read_all(workers.settings, workers.settings.topics.raw.name)
        if b"Quetta" in r.value
    )
    assert quetta["author"] == "Amina Rahman" and re.match(r"^A bomb attached to a passenger bus", quetta["body"])
