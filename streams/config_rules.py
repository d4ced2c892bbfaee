"""The rules every configuration value is checked by: types, finite numbers, ranges, ports, paths, server lists.

Each failure is a `ConfigError` whose one line names the key, the value and the rule (streams.config).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.config_env import REPO_ROOT, ConfigError

if TYPE_CHECKING:
    from streams.config import KafkaSettings, WorkerSettings

_SERVER = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^\s:\[\]]+)):(?P<port>\d{1,5})$")
# Kafka's timeouts are 32-bit milliseconds.
MAX_TIMEOUT_SECONDS = (2**31 - 1) / 1000
# The broker's socket.request.max.bytes is twice the largest message and a 32-bit number.
MAX_MESSAGE_BYTES = 2**29


def _require(condition: bool, key: str, rule: str, value: Any) -> None:
    if not condition:
        raise ConfigError(f"config {key}={value!r}: {rule}")


def _typed(section: Mapping[str, Any], key: str, kind: type, path: str) -> Any:
    if key not in section:
        raise ConfigError(f"config {path}.{key} is missing")
    value = section[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    _require(ok, f"{path}.{key}", f"must be {kind.__name__}", value)
    if kind is float:
        _require(math.isfinite(value), f"{path}.{key}", "must be a finite number", value)
    return value


def _port(section: Mapping[str, Any], key: str, path: str) -> int:
    value = _typed(section, key, int, path)
    _require(0 < value < 65536, f"{path}.{key}", "must be a TCP port (1-65535)", value)
    return value


def _positive(section: Mapping[str, Any], key: str, path: str, kind: type = int) -> Any:
    value = _typed(section, key, kind, path)
    _require(value > 0, f"{path}.{key}", "must be positive", value)
    return value


def _between(section: Mapping[str, Any], key: str, path: str, low: float, high: float, kind: type = float) -> Any:
    value = _typed(section, key, kind, path)
    _require(low <= value <= high, f"{path}.{key}", f"must be between {low:g} and {high:g}", value)
    return value


def _timeout(section: Mapping[str, Any], key: str, path: str, low: float = 0.001) -> float:
    """Seconds that become a Kafka client's 32-bit millisecond timeout."""
    return _between(section, key, path, low, MAX_TIMEOUT_SECONDS)


def _path(text: str) -> Path:
    path = Path(text)
    return path if path.is_absolute() else REPO_ROOT / path


def _servers(text: str) -> tuple[str, ...]:
    """`kafka.bootstrap_servers`: comma-separated host:port entries ([v6]:port for IPv6), or empty."""
    servers = tuple(entry.strip() for entry in text.split(",") if entry.strip())
    for entry in servers:
        match = _SERVER.match(entry)
        _require(
            match is not None and 0 < int(match["port"]) < 65536,
            "kafka.bootstrap_servers",
            f"{entry!r} is not host:port (comma-separated, port 1-65535)",
            text,
        )
    return servers


def _check_worker_timeouts(worker: WorkerSettings, kafka: KafkaSettings) -> None:
    """The timeouts against each other and against the broker's limits on a consumer's session."""
    low, high = kafka.group_min_session_timeout_ms / 1000, kafka.group_max_session_timeout_ms / 1000
    session = worker.session_timeout_seconds
    _require(
        low <= session <= high,
        "worker.session_timeout_seconds",
        f"must be between {low:g} and {high:g}, the broker's group.min/max.session.timeout.ms "
        "(kafka.group_min_session_timeout_ms, kafka.group_max_session_timeout_ms), or the broker refuses the worker",
        session,
    )
    _require(
        worker.request_timeout_seconds >= session,
        "worker.request_timeout_seconds",
        "must not be below worker.session_timeout_seconds",
        worker.request_timeout_seconds,
    )
    _require(
        worker.join_timeout_seconds >= 2 * session,
        "worker.join_timeout_seconds",
        "must be at least twice worker.session_timeout_seconds (a departed member holds a join that long)",
        worker.join_timeout_seconds,
    )
    _require(
        worker.shutdown_timeout_seconds >= 4 * worker.batch_within_seconds,
        "worker.shutdown_timeout_seconds",
        "must be at least four times worker.batch_within_seconds (a stop waits for the batch being filled)",
        worker.shutdown_timeout_seconds,
    )
