"""One poll of one feed: a conditional GET (ETag / Last-Modified), then feedparser on the bytes.

The validators are kept in memory for the life of the process: after a restart the first poll downloads each
feed once more, and the seen state (not the validators) is what keeps its items from being emitted again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from streams.sources.feeds.config import Feed
from streams.sources.feeds.fetch import Failure, Fetcher, Reason

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedItem:
    url: str
    entry: str  # what the feed says about the item that changes when it is edited
    title: str | None
    author: str | None
    published_at: str | None  # ISO 8601


@dataclass
class FeedPoll:
    not_modified: bool
    items: list[FeedItem] = field(default_factory=list)
    problem: Failure | None = None  # the feed was malformed; `items` are what feedparser could still recover


@dataclass
class Validators:
    """ETag and Last-Modified of each feed's last successful download."""

    by_feed: dict[str, dict[str, str]] = field(default_factory=dict)

    def request_headers(self, url: str) -> dict[str, str]:
        known = self.by_feed.get(url, {})
        return {
            name: known[key]
            for name, key in (("If-None-Match", "etag"), ("If-Modified-Since", "modified"))
            if known.get(key)
        }

    def remember(self, url: str, headers) -> None:
        self.by_feed[url] = {"etag": headers.get("ETag", ""), "modified": headers.get("Last-Modified", "")}


def poll_feed(fetcher: Fetcher, feed: Feed, validators: Validators, max_bytes: int) -> FeedPoll:
    """Download and parse `feed`; raises Failure when it cannot be fetched or holds no feed at all."""
    response = fetcher.get(feed.url, max_bytes, validators.request_headers(feed.url))
    if response.status == 304:
        return FeedPoll(not_modified=True)
    validators.remember(feed.url, response.headers)
    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-type": response.headers.get("Content-Type", "application/xml"),
            "content-location": response.url,
        },
    )
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise Failure(
            Reason.FEED_MALFORMED, f"not an RSS or Atom feed{f': {problem}' if problem else ''}", response.body
        )
    poll = FeedPoll(not_modified=False, items=[_item(entry) for entry in parsed.entries if entry.get("link")])
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        poll.problem = Failure(
            Reason.FEED_MALFORMED,
            f"malformed feed ({parsed.bozo_exception}); {len(poll.items)} items recovered",
            response.body,
        )
    return poll


def _item(entry) -> FeedItem:
    return FeedItem(
        url=entry["link"],
        entry="|".join((entry.get("published", ""), _updated(entry, "updated") or "", entry.get("title", ""))),
        title=entry.get("title") or None,
        author=entry.get("author") or None,
        published_at=_iso(entry.get("published_parsed") or _updated(entry, "updated_parsed")),
    )


def _updated(entry, key: str):
    """The entry's own `updated` field: feedparser's `.get` would fall back to `published`, with a warning."""
    return entry[key] if key in entry else None  # noqa: SIM401 - not .get, see above


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
