"""The poller: each due feed is polled, each new or edited item's page fetched and extracted, and the article
produced to the raw topic under the id of its canonical URL; whatever fails goes to the dead-letter topic.

Per item the article is acknowledged by the broker before the seen state records it, so a crash in between
re-emits it on restart (at-least-once, the same key and body) rather than losing it. A feed or an item that
fails is dead-lettered and counted; only a Kafka error stops the poller, since then nothing could be recorded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kafka import KafkaProducer
from kafka.errors import KafkaError

from streams import __version__
from streams.config import ConfigError, Settings
from streams.contract.schema import Limits, Rejection, normalise_article
from streams.kafka.clients import json_producer
from streams.kafka.topics import ensure_topics
from streams.sources.feeds.config import Feed, FeedsConfig
from streams.sources.feeds.dedup import (
    SeenLog,
    SeenRecord,
    SeenState,
    Status,
    Verdict,
    article_id,
    canonical_url,
    content_hash,
)
from streams.sources.feeds.extract import extract_article
from streams.sources.feeds.fetch import Failure, Fetcher, Reason
from streams.sources.feeds.poll import FeedItem, Validators, poll_feed

log = logging.getLogger(__name__)
STAGE = "feeds"
# Room for the headers and the key next to a dead-lettered page in one Kafka message.
_MESSAGE_HEADROOM = 65536


@dataclass
class PollCounts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0

    def line(self, feed: Feed, seconds: float, not_modified: bool) -> str:
        outcome = (
            "not modified"
            if not_modified
            else f"new {self.new}, updated {self.updated}, skipped {self.skipped}, failed {self.failed}"
        )
        return f"feeds: {feed.source} <{feed.url}>: {outcome} ({seconds:.1f}s)"


class Poller:
    def __init__(
        self,
        settings: Settings,
        config: FeedsConfig,
        report: Callable[[str], None] = print,
        fetcher: Fetcher | None = None,
    ) -> None:
        for key in ("max_feed_bytes", "max_page_bytes"):
            limit = getattr(config.fetch, key)
            if limit + _MESSAGE_HEADROOM > settings.topics.max_message_bytes:
                raise ConfigError(
                    f"feeds fetch.{key}={limit}: a page this large must fit in a dead letter "
                    f"(topics.max_message_bytes {settings.topics.max_message_bytes})"
                )
        self.settings, self.config, self.report = settings, config, report
        self.fetcher = fetcher or Fetcher(config.fetch)
        self.validators = Validators()
        self.limits = Limits(max_body_chars=settings.limits.max_body_chars, max_id_chars=settings.limits.max_id_chars)
        self.seen_log = SeenLog(settings, config.state.seen_topic, config.state.max_attempts)
        self.state = SeenState(max_attempts=config.state.max_attempts)
        self.producer: KafkaProducer | None = None

    def start(self) -> None:
        """Create the topics the poller writes and read back the seen state."""
        ensure_topics(self.settings)
        self.seen_log.ensure_topic()
        self.state = self.seen_log.load()
        self.producer = json_producer(self.settings, client_id="streams-feeds")

    def close(self) -> None:
        if self.producer is not None:
            self.producer.close()
        self.seen_log.close()

    def run(self, once: bool = False, stop: threading.Event | None = None) -> None:
        """Poll every feed when it is due until `stop` is set; with `once`, poll each feed once and return."""
        stop = stop or threading.Event()
        due = {feed.url: 0.0 for feed in self.config.feeds}
        while self.config.feeds and not stop.is_set():
            for feed in self.config.feeds:
                if stop.is_set() or due[feed.url] > time.monotonic():
                    continue
                self.poll(feed)
                due[feed.url] = time.monotonic() + feed.interval_seconds
            if once:
                return
            stop.wait(max(0.0, min(due.values()) - time.monotonic()))

    def poll(self, feed: Feed) -> PollCounts:
        """One poll of one feed, every failure inside it dead-lettered; prints the progress line."""
        started, counts = time.monotonic(), PollCounts()
        try:
            result = poll_feed(self.fetcher, feed, self.validators, self.config.fetch.max_feed_bytes)
        except KafkaError:
            raise
        except Exception as exc:  # one dead feed must not stop the others
            self._dead_letter(feed.url.encode(), as_failure(exc), feed.url, feed)
            counts.failed += 1
            self.report(counts.line(feed, time.monotonic() - started, not_modified=False))
            return counts
        if result.problem is not None:
            self._dead_letter(feed.url.encode(), result.problem, feed.url, feed)
            counts.failed += 1
        for item in result.items:
            self._item(feed, item, counts)
        self.report(counts.line(feed, time.monotonic() - started, result.not_modified))
        return counts

    def _item(self, feed: Feed, item: FeedItem, counts: PollCounts) -> None:
        url = canonical_url(item.url)
        key = article_id(url)
        if not self.state.needs_fetch(key, item.entry):
            counts.skipped += 1
            return
        try:
            article, body_hash = self._article(feed, item, key, url)
        except KafkaError:
            raise
        except Exception as exc:  # one bad page must not stop its feed
            failure = as_failure(exc)
            self._dead_letter(key.encode(), failure, item.url, feed)
            self._remember(key, self.state.failed(key, url, item.entry))
            counts.failed += 1
            return
        verdict = self._emitted_or_known(key, url, item, article, body_hash)
        if verdict is Verdict.NEW:
            counts.new += 1
        elif verdict is Verdict.UPDATED:
            counts.updated += 1
        else:
            counts.skipped += 1

    def _emitted_or_known(self, key: str, url: str, item: FeedItem, article: dict, body_hash: str) -> Verdict:
        """Emit the article when its text is new or updated, skip it when unchanged or a duplicate of another's;
        remember what was seen either way."""
        verdict, known = self.state.judge(key, body_hash)
        if known is None:  # Verdict.NEW: no emitted record to compare with
            revision = 0
        elif verdict is Verdict.UNCHANGED:
            self._remember(key, SeenRecord(url, item.entry, Status.EMITTED, body_hash, known.revision))
            return verdict
        elif verdict is Verdict.DUPLICATE:
            log.info("feeds: %s has the same text as %s, not emitted again", url, known.url)
            self._remember(
                key, SeenRecord(url, item.entry, Status.DUPLICATE, body_hash, duplicate_of=article_id(known.url))
            )
            return verdict
        else:  # Verdict.UPDATED
            revision = known.revision + 1
        self._producing().send(self.settings.topics.raw.name, key=key, value={**article, "revision": revision}).get(
            timeout=30
        )
        self._remember(key, SeenRecord(url, item.entry, Status.EMITTED, body_hash, revision))
        return verdict

    def _producing(self) -> KafkaProducer:
        """The producer `start` opened."""
        if self.producer is None:
            raise RuntimeError("Poller.start() opens the producer before anything is polled")
        return self.producer

    def _article(self, feed: Feed, item: FeedItem, key: str, url: str) -> tuple[dict, str]:
        """Fetch and extract the item's page into a contract-checked raw event (its revision comes later)."""
        page = self.fetcher.get(item.url, self.config.fetch.max_page_bytes)
        extracted = extract_article(page.body, page.url, self.config.min_body_chars)
        candidate = {
            "id": key,
            "body": extracted.body,
            "title": extracted.title or item.title,
            "url": url,
            "source": feed.source,
            "language": feed.language,
            "published_at": item.published_at or extracted.date,
        }
        article = normalise_article({k: v for k, v in candidate.items() if v is not None}, self.limits)
        if isinstance(article, Rejection):
            raise Failure(article.reason, article.detail, page.body)
        author = extracted.author or item.author
        return ({**article, "author": author} if author else article), content_hash(article["body"])

    def _remember(self, key: str, record: SeenRecord) -> None:
        self.seen_log.write(key, record)
        self.state.put(key, record)

    def _dead_letter(self, key: bytes, failure: Failure, url: str, feed: Feed) -> None:
        log.warning("feeds: dead-lettered %s: %s (%s)", url, failure.reason, failure.detail[:200])
        self._producing().send(
            self.settings.topics.dead_letter.name,
            key=key,
            value=failure.body,
            headers=dead_letter_headers(failure, url, feed),
        ).get(timeout=30)


def as_failure(exc: Exception) -> Failure:
    return exc if isinstance(exc, Failure) else Failure(Reason.UNEXPECTED_ERROR, repr(exc))


def dead_letter_headers(failure: Failure, url: str, feed: Feed) -> list[tuple[str, bytes]]:
    """Headers of a feeds dead letter, in the worker's dlq.* vocabulary; the value is what was downloaded."""
    return [
        (name, value.encode("utf-8"))
        for name, value in (
            ("dlq.reason", failure.reason),
            ("dlq.detail", failure.detail[:1000]),
            ("dlq.stage", STAGE),
            ("dlq.source.url", url),
            ("dlq.source.feed", feed.url),
            ("dlq.failed_at", datetime.now(UTC).isoformat()),
            ("dlq.pipeline_version", __version__),
        )
    ]
