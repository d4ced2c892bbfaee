"""Polite HTTP for the poller: robots.txt honoured, a per-host rate limit, a deadline per request, a size cap,
and retries with exponential back-off for what is worth retrying (timeouts, connection errors, 408, 429, 5xx).

The standard library's urllib is enough here and keeps every request under these rules; feedparser's and
trafilatura's own downloaders are not used because they would bypass them.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, build_opener
from urllib.robotparser import RobotFileParser

from streams.sources.feeds.config import FetchSettings

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024
# How soon an unreachable robots.txt (5xx, timeout) is asked for again; meanwhile the host counts as disallowed.
ROBOTS_RETRY_SECONDS = 300.0
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class Reason:
    """Dead-letter reasons of the feeds stage."""

    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    TOO_LARGE = "too_large"
    ROBOTS_DISALLOWED = "robots_disallowed"
    FEED_MALFORMED = "feed_malformed"
    NO_TEXT = "no_text"
    UNEXPECTED_ERROR = "unexpected_error"


class Failure(Exception):
    """An item or feed that could not be turned into events; `body` holds whatever bytes did arrive."""

    def __init__(self, reason: str, detail: str, body: bytes = b"") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.body = reason, detail, body


class FetchError(Failure):
    """A request that did not produce a usable response."""

    def __init__(
        self, reason: str, detail: str, body: bytes = b"", status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason, detail, body)
        self.status, self.retry_after = status, retry_after

    @property
    def retryable(self) -> bool:
        if self.reason == Reason.HTTP_ERROR:
            return self.status in RETRYABLE_STATUS
        return self.reason in (Reason.TIMEOUT, Reason.CONNECTION_ERROR)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200-299, or 304 for a conditional request that found nothing new
    headers: Message
    body: bytes


@dataclass
class _Robots:
    parser: RobotFileParser
    expires: float
    note: str = ""  # why everything is disallowed, when robots.txt could not be read


@dataclass
class Fetcher:
    settings: FetchSettings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._opener = build_opener()

    def get(self, url: str, max_bytes: int, headers: dict[str, str] | None = None) -> Response:
        """GET `url` if robots.txt allows it, retrying transient failures; raises FetchError."""
        robots = self._robots_for(url)
        if not robots.parser.can_fetch(self.settings.robots_agent, url):
            raise FetchError(
                Reason.ROBOTS_DISALLOWED, robots.note or f"robots.txt disallows {url} for {self.settings.robots_agent}"
            )
        attempt = 0
        while True:
            try:
                return self._request(url, max_bytes, headers or {})
            except FetchError as exc:
                if not exc.retryable or attempt >= self.settings.retries:
                    raise
                delay = min(self.settings.backoff_seconds * 2**attempt, self.settings.backoff_max_seconds)
                if exc.retry_after is not None:
                    delay = min(max(delay, exc.retry_after), self.settings.backoff_max_seconds)
                log.info("feeds: %s (%s), retrying in %.1fs", url, exc, delay)
                self.sleep(delay)
                attempt += 1

    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is not None and cached.expires > self.clock():
            return cached
        parser, note, ttl = RobotFileParser(), "", self.settings.robots_cache_seconds
        try:
            response = self._request(f"{origin}/robots.txt", ROBOTS_MAX_BYTES, {})
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
        except FetchError as exc:
            if exc.reason == Reason.HTTP_ERROR and exc.status is not None and 400 <= exc.status < 500:
                parser.allow_all = True  # type: ignore[attr-defined]  # set by parse(), not in typeshed; RFC 9309: no robots.txt means no restrictions
            else:  # RFC 9309: unreachable means assume complete disallow
                parser.disallow_all = True  # type: ignore[attr-defined]  # as allow_all
                note, ttl = f"robots.txt of {origin} unreachable ({exc})", ROBOTS_RETRY_SECONDS
        robots = _Robots(parser, self.clock() + ttl, note)
        self._robots[origin] = robots
        return robots

    def _wait_turn(self, url: str) -> None:
        """Per-host rate limit: the configured interval, or the host's robots.txt Crawl-delay when longer."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        interval = self.settings.host_interval_seconds
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if robots is not None:
            interval = max(interval, float(robots.parser.crawl_delay(self.settings.robots_agent) or 0))
        last = self._last_request.get(host)
        if last is not None and self.clock() - last < interval:
            self.sleep(interval - (self.clock() - last))
        self._last_request[host] = self.clock()

    def _request(self, url: str, max_bytes: int, headers: dict[str, str]) -> Response:
        """One GET within `timeout_seconds` from connect to last byte, reading at most `max_bytes`."""
        self._wait_turn(url)
        deadline = self.clock() + self.settings.timeout_seconds
        request = Request(url, headers={"User-Agent": self.settings.user_agent, **headers})
        try:
            response = self._opener.open(request, timeout=self.settings.timeout_seconds)
        except HTTPError as exc:
            if exc.code == 304:
                return Response(url, 304, exc.headers, b"")
            body = _read_capped(exc, max_bytes, deadline, self.clock, url, strict=False)
            retry_after = exc.headers.get("Retry-After", "")
            raise FetchError(
                Reason.HTTP_ERROR,
                f"HTTP {exc.code} {exc.reason}",
                body,
                exc.code,
                float(retry_after) if retry_after.isdigit() else None,
            ) from None
        except TimeoutError:
            raise FetchError(Reason.TIMEOUT, f"no response within {self.settings.timeout_seconds:g}s") from None
        except URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise FetchError(Reason.TIMEOUT, f"no response within {self.settings.timeout_seconds:g}s") from None
            raise FetchError(Reason.CONNECTION_ERROR, str(exc.reason)) from None
        except OSError as exc:
            raise FetchError(Reason.CONNECTION_ERROR, repr(exc)) from None
        with response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(Reason.TOO_LARGE, f"{declared} bytes declared, limit {max_bytes}")
            body = _read_capped(response, max_bytes, deadline, self.clock, url, strict=True)
            return Response(response.geturl(), response.status, response.headers, body)


def _read_capped(
    response, max_bytes: int, deadline: float, clock: Callable[[], float], url: str, strict: bool
) -> bytes:
    """Read the body in chunks until the end, `max_bytes` or the deadline. `strict` turns hitting a limit into a
    FetchError (nothing kept); otherwise (an error page) what arrived is returned."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if clock() > deadline:
                if strict:
                    raise FetchError(Reason.TIMEOUT, f"body of {url} not complete by the deadline")
                break
            chunk = response.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                if strict:
                    raise FetchError(Reason.TOO_LARGE, f"more than {max_bytes} bytes")
                break
    except (TimeoutError, OSError) as exc:
        if strict:
            reason = Reason.TIMEOUT if isinstance(exc, (TimeoutError, socket.timeout)) else Reason.CONNECTION_ERROR
            raise FetchError(reason, f"reading the body of {url}: {exc!r}") from None
    return b"".join(chunks)[:max_bytes]
