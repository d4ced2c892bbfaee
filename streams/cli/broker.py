"""Reaching the cluster from a command: a bounded, quiet wait for a broker, and topics that must exist.

kafka-python retries a refused bootstrap connection for 30 s and logs every attempt at WARNING or ERROR; a
command instead waits `--connect-timeout` seconds (10 by default) with those logs silenced, then stops with
one line and exit 5. A topic that does not exist stops the command with exit 6 instead of a consumer that
polls metadata for it forever.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from kafka.errors import KafkaError

from streams.cli.errors import CliError, ExitCode
from streams.cli.options import invocation
from streams.config import Settings

T = TypeVar("T")
# Between bootstrap attempts kafka-python backs off up to 30 s; a command waiting 10 s must try more than once.
RECONNECT_BACKOFF_MAX_MS = 1000


@contextmanager
def quiet_kafka_logs() -> Iterator[None]:
    """kafka-python's logger silenced for the duration: its refused-connection lines are expected here."""
    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        kafka_log.setLevel(level)


def bounded(timeout_s: float | None = None) -> dict[str, Any]:
    """Client options that bound the bootstrap to `timeout_s` (default: --connect-timeout)."""
    seconds = invocation().connect_timeout if timeout_s is None else timeout_s
    return {"bootstrap_timeout_ms": int(seconds * 1000), "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS}


def unreachable(settings: Settings, detail: str = "") -> CliError:
    seconds = invocation().connect_timeout
    return CliError(
        ExitCode.BROKER_UNREACHABLE,
        f"no Kafka broker answered at {settings.kafka.bootstrap_servers} within {seconds:g}s"
        + (f" ({detail})" if detail else "")
        + " - is it running? (`streams kafka start`, or --bootstrap-server)",
    )


def connect(settings: Settings, factory: Callable[..., T], *args: Any, **options: Any) -> T:
    """A kafka-python client from `factory(settings, *args, **options)`, bootstrapped within the bounded wait."""
    try:
        with quiet_kafka_logs():
            return factory(settings, *args, **bounded(), **options)
    except KafkaError as exc:
        raise unreachable(settings, _short(exc)) from None


def cluster_topics(settings: Settings) -> set[str]:
    """The topic names the cluster knows; exit 5 when no broker answers within the bounded wait."""
    from streams.kafka.clients import raw_consumer

    consumer = connect(settings, raw_consumer, client_id="streams-cli")
    try:
        with quiet_kafka_logs():
            return set(consumer.topics())
    except KafkaError as exc:
        raise unreachable(settings, _short(exc)) from None
    finally:
        consumer.close()


def require_topic(settings: Settings, topic: str) -> None:
    """Exit 6 with the closest known names when `topic` does not exist (internal topics are not offered)."""
    known = cluster_topics(settings)
    if topic in known:
        return
    visible = sorted(name for name in known if not name.startswith("__"))
    close = difflib.get_close_matches(topic, visible, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ("; none exist yet: `streams topics` creates them")
    raise CliError(
        ExitCode.UNKNOWN_TOPIC,
        f"topic {topic!r} does not exist at {settings.kafka.bootstrap_servers}{hint}",
    )


def _short(exc: BaseException) -> str:
    """The error's first line; nothing for the bootstrap timeout the message already states."""
    text = str(exc).strip() or type(exc).__name__
    if "Unable to bootstrap" in text:
        return ""
    return text.splitlines()[0][:200]
