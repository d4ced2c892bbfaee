"""The configuration's surroundings: the file it comes from (STREAMS_CONFIG_FILE, else config/streams.toml),
the `STREAMS_<SECTION>_<KEY>` environment overrides coerced to each key's type, the STREAMS_* variables no setting
reads (a misspelled name would otherwise be silently ignored), and what the machine must offer: hosts that
resolve, writable folders, an address and port a worker can serve on.
"""

from __future__ import annotations

import difflib
import os
import socket
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streams.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = Path(os.environ.get("STREAMS_CONFIG_DIR", REPO_ROOT / "config"))
CONFIG_FILE = CONFIG_DIR / "streams.toml"
# Environment variables read elsewhere (knowledge folders, the feed list, caches), besides the settings' own.
OTHER_VARIABLES = (
    "STREAMS_CONFIG_DIR",
    "STREAMS_CONFIG_FILE",
    "STREAMS_FEEDS_FILE",
    "STREAMS_ENTITIES_CONFIG",
    "STREAMS_CASUALTIES_CONFIG",
    "STREAMS_PLACES_CONFIG",
    "STREAMS_PLACES_CACHE_DIR",
)


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the key and the rule."""


def _apply_env(raw: dict[str, Any], environ: Mapping[str, str], prefix: str = "STREAMS") -> dict[str, Any]:
    """Return `raw` with every leaf overridden by its environment variable, coerced to the leaf's type."""
    result: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}_{key}".upper()
        if isinstance(value, dict):
            result[key] = _apply_env(value, environ, name)
        elif name in environ:
            result[key] = _coerce(name, environ[name], value)
        else:
            result[key] = value
    return result


def _coerce(name: str, text: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r}: expected {type(default).__name__}") from None
    return text


def _variable_names(raw: Mapping[str, Any], prefix: str) -> Iterator[str]:
    """The environment variable of every leaf of `raw` (lists, such as the feed list, take none)."""
    for key, value in raw.items():
        name = f"{prefix}_{key}".upper()
        if isinstance(value, dict):
            yield from _variable_names(value, name)
        elif not isinstance(value, list):
            yield name


def _feeds_variable_names(environ: Mapping[str, str]) -> set[str]:
    """STREAMS_FEEDS_* names of the feed poller's file (streams.sources.feeds.config applies them)."""
    path = Path(environ.get("STREAMS_FEEDS_FILE") or CONFIG_DIR / "feeds.toml")
    try:
        return set(_variable_names(tomllib.loads(path.read_text(encoding="utf-8")), "STREAMS_FEEDS"))
    except (OSError, tomllib.TOMLDecodeError):
        return set()


def unknown_variables(raw: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """One warning per STREAMS_* variable that no setting reads, with the closest known name if one is close."""
    known = {*_variable_names(raw, "STREAMS"), *_feeds_variable_names(environ), *OTHER_VARIABLES}
    warnings = []
    for name in sorted(environ):
        if not name.startswith("STREAMS_") or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"unknown environment variable {name}: no setting reads it{hint}")
    return warnings


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """The configuration file: STREAMS_CONFIG_FILE, else streams.toml in STREAMS_CONFIG_DIR (config/)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("STREAMS_CONFIG_FILE") or CONFIG_FILE)


# ---- the host and the file system ------------------------------------------------------------------------------


def _resolves(host: str, key: str, value: str) -> None:
    try:
        socket.getaddrinfo(host.strip("[]"), None)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"config {key}={value!r}: {host!r} does not resolve to an address ({exc})") from None


def check_hosts(settings: Settings) -> None:
    """Every host a client connects to or the worker serves on resolves to an address."""
    kafka = settings.kafka
    _resolves(kafka.host, "kafka.host", kafka.host)
    for entry in kafka.servers:
        _resolves(entry.rsplit(":", 1)[0], "kafka.bootstrap_servers", kafka.bootstrap_servers)
    _resolves(settings.worker.web_host, "worker.web_host", settings.worker.web_host)


def check_writable_dir(path: Path, key: str) -> None:
    """`path` is (or can be made) a folder this process can write in: created, then probed with a file."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ConfigError(f"config {key}={str(path)!r}: must be a writable folder ({exc.strerror or exc})") from None


def check_worker_environment(settings: Settings) -> None:
    """What a worker needs of this machine before it starts: a writable state folder, and an address of this
    machine with a free port to serve its HTTP API on."""
    worker = settings.worker
    check_writable_dir(worker.data_dir, "worker.data_dir")
    try:
        family = socket.getaddrinfo(worker.web_host, worker.web_port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((worker.web_host, worker.web_port))
    except OSError as exc:
        raise ConfigError(
            f"config worker.web_host={worker.web_host!r}, worker.web_port={worker.web_port}: "
            f"cannot serve there ({exc.strerror or exc}); it must be an address of this machine and a free port"
        ) from None
