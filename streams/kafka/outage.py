"""Broker outages as the worker sees them: the Kafka clients' errors logged with back-off, and metrics that say so.

While the broker is down, aiokafka logs every failed connection and metadata attempt (about 100 lines a second,
most of them the same four messages), which buries everything else. `ClientLogBackoff` lets the first line of
each message through, then repeats of it at growing intervals (10 s, doubling up to a minute), and no more than
`lines_per_minute` lines of all such messages a minute; a line that follows suppressed repeats says how many it
stands for. Every error is still counted (`streams_kafka_client_errors_total`), and
`streams_broker_unreachable` is 1 while connection errors keep coming, so the outage shows on /metrics and in
the dashboards rather than in the log's length. The last error is kept for a worker that must say why it stops.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Gauge

from streams.metrics import REGISTRY

log = logging.getLogger(__name__)

# The loggers of the Kafka clients and faust's transport on top of them.
CLIENT_LOGGERS = ("aiokafka", "kafka", "faust.transport")
# Words of the errors that mean the broker cannot be reached (as opposed to, say, a refused request).
CONNECTION_WORDS = (
    "connect",
    "connection",
    "not ready",
    "nodenotready",
    "metadata",
    "econnrefused",
    "disconnected",
    "coordinator dead",
    "not available",
)
# How long after the last connection error the broker still counts as unreachable.
UNREACHABLE_FOR_SECONDS = 15.0

CLIENT_ERRORS = Counter(
    "streams_kafka_client_errors",
    "Warnings and errors logged by the Kafka clients (each one, including those the log leaves out)",
    ["kind"],
    registry=REGISTRY,
)
for _kind in ("connection", "other"):
    CLIENT_ERRORS.labels(kind=_kind)
SUPPRESSED_LINES = Counter(
    "streams_kafka_client_log_lines_suppressed",
    "Kafka client log lines left out by the back-off (repeats during an outage)",
    registry=REGISTRY,
)
UNREACHABLE = Gauge(
    "streams_broker_unreachable",
    f"1 while the Kafka clients report connection errors (one in the last {UNREACHABLE_FOR_SECONDS:g} s), else 0",
    registry=REGISTRY,
)
OUTAGE_SECONDS = Gauge(
    "streams_broker_unreachable_seconds",
    "How long the current run of connection errors has lasted (0 when the broker is reachable)",
    registry=REGISTRY,
)


@dataclass
class _Repeats:
    """One message's back-off: when it may be logged next, at what interval after that, what was left out."""

    next_at: float
    interval: float
    last_seen: float
    suppressed: int = 0


class ClientLogBackoff(logging.Filter):
    """A filter for the Kafka client loggers: warnings and errors with back-off, everything counted."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        first_repeat: float = 10.0,
        max_repeat: float = 60.0,
        lines_per_minute: int = 6,
    ) -> None:
        super().__init__()
        self.clock, self.first_repeat, self.max_repeat = clock, first_repeat, max_repeat
        self.lines_per_minute = lines_per_minute
        self._repeats: dict[tuple[str, str], _Repeats] = {}
        self._emitted: deque[float] = deque()
        self.last_error: tuple[float, str] | None = None
        self.last_connection_error: float | None = None
        self.outage_started: float | None = None
        self.suppressed = self._suppressed_reported = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        now, message = self.clock(), record.getMessage()
        self._observe(now, record.name, message)
        repeats = self._repeats_of(now, (record.name, str(record.msg)))
        while self._emitted and now - self._emitted[0] >= 60.0:
            self._emitted.popleft()
        if now < repeats.next_at or len(self._emitted) >= self.lines_per_minute:
            repeats.suppressed += 1
            self.suppressed += 1
            SUPPRESSED_LINES.inc()
            return False
        if repeats.suppressed:
            record.msg, record.args = f"{message} (and {repeats.suppressed} more like it, logged with back-off)", ()
        repeats.suppressed = 0
        repeats.next_at = now + repeats.interval
        repeats.interval = min(repeats.interval * 2, self.max_repeat)
        self._emitted.append(now)
        return True

    def _observe(self, now: float, logger: str, message: str) -> None:
        """Count the error and keep what the outage metrics and a stopping worker need."""
        self.last_error = (now, f"{logger}: {' '.join(message.split())}"[:400])
        is_connection = any(word in message.lower() for word in CONNECTION_WORDS)
        CLIENT_ERRORS.labels(kind="connection" if is_connection else "other").inc()
        if is_connection:
            if not self.unreachable(now):
                self.outage_started = now
            self.last_connection_error = now

    def _repeats_of(self, now: float, key: tuple[str, str]) -> _Repeats:
        """The message's back-off, started afresh when it has been quiet for two of its longest intervals."""
        repeats = self._repeats.get(key)
        if repeats is None or now - repeats.last_seen > 2 * self.max_repeat:
            repeats = self._repeats[key] = _Repeats(next_at=now, interval=self.first_repeat, last_seen=now)
        repeats.last_seen = now
        return repeats

    def unreachable(self, now: float | None = None) -> bool:
        """Whether connection errors keep coming: the last one was less than UNREACHABLE_FOR_SECONDS ago."""
        now = self.clock() if now is None else now
        last = self.last_connection_error
        return last is not None and now - last < UNREACHABLE_FOR_SECONDS

    def outage_seconds(self) -> float:
        now = self.clock()
        return now - self.outage_started if self.outage_started is not None and self.unreachable(now) else 0.0

    def recovery_report(self) -> str | None:
        """Once, after an outage ended: how long it lasted and how many client errors the log left out."""
        if self.outage_started is None or self.unreachable():
            return None
        assert self.last_connection_error is not None
        lasted = self.last_connection_error - self.outage_started
        suppressed, self._suppressed_reported = self.suppressed - self._suppressed_reported, self.suppressed
        self.outage_started = None
        return (
            f"the broker answers again after about {lasted:.0f} s of connection errors "
            f"({suppressed} client log lines left out by the back-off)"
        )

    def last_error_text(self) -> str | None:
        return self.last_error[1] if self.last_error is not None else None


def report_recoveries(app: Any, backoff: ClientLogBackoff, every_seconds: float = 5.0) -> None:
    """Log one line when an outage ends, so the log says when the broker came back."""

    @app.timer(every_seconds, name="report_broker_recovery")
    async def report_broker_recovery() -> None:
        report = backoff.recovery_report()
        if report is not None:
            log.warning("%s", report)


def client_loggers() -> list[logging.Logger]:
    """The client loggers that exist once aiokafka and faust's driver are imported (they name theirs then)."""
    import aiokafka  # noqa: F401 - imported for the loggers its modules create
    import faust.transport.drivers.aiokafka  # noqa: F401

    names = {name for name in logging.root.manager.loggerDict if name.startswith(CLIENT_LOGGERS)}
    return [logging.getLogger(name) for name in sorted(names | set(CLIENT_LOGGERS))]


def install_client_log_backoff(backoff: ClientLogBackoff | None = None) -> ClientLogBackoff:
    """Put one `ClientLogBackoff` on every Kafka client logger (once) and feed the outage gauges from it."""
    for logger in client_loggers():
        existing = [f for f in logger.filters if isinstance(f, ClientLogBackoff)]
        if existing:
            return existing[0]
    backoff = backoff or ClientLogBackoff()
    for logger in client_loggers():
        logger.addFilter(backoff)
    UNREACHABLE.set_function(lambda: 1.0 if backoff.unreachable() else 0.0)
    OUTAGE_SECONDS.set_function(backoff.outage_seconds)
    return backoff
