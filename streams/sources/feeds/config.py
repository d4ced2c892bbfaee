"""The feed list and the poller's settings: `config/feeds.toml` (or STREAMS_FEEDS_FILE), validated on load.

The settings sections take environment overrides STREAMS_FEEDS_<SECTION>_<KEY> through the same rules as
`streams.config`. The [[feeds]] list is edited as text by `add_feed` / `remove_feed`, so the comments an
operator wrote in the file survive the commands.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from streams import __version__
from streams.config import CONFIG_DIR, ConfigError, _apply_env, _positive, _require, _typed
from streams.contract.schema import _LANGUAGE

DEFAULT_FEEDS_FILE = CONFIG_DIR / "feeds.toml"
_FEED_HEADER = re.compile(r"^\s*\[\[feeds\]\]\s*(#.*)?$")


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str
    timeout_seconds: float
    retries: int
    backoff_seconds: float
    backoff_max_seconds: float
    host_interval_seconds: float
    robots_cache_seconds: float
    max_feed_bytes: int
    max_page_bytes: int

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt groups are matched against."""
        return self.user_agent.split("/", 1)[0].strip()


@dataclass(frozen=True)
class StateSettings:
    seen_topic: str
    max_attempts: int


@dataclass(frozen=True)
class Feed:
    url: str
    interval_seconds: float
    language: str
    source: str


@dataclass(frozen=True)
class FeedsConfig:
    fetch: FetchSettings
    min_body_chars: int
    state: StateSettings
    feeds: tuple[Feed, ...]


def feeds_file(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get("STREAMS_FEEDS_FILE") or DEFAULT_FEEDS_FILE)


def _section(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise ConfigError(f"feeds config section [{name}] is missing")
    return section


def _non_negative(section: Mapping[str, Any], key: str, path: str, kind: type = float) -> Any:
    value = _typed(section, key, kind, path)
    _require(value >= 0, f"{path}.{key}", "must not be negative", value)
    return value


def parse_feed(entry: Any, where: str) -> Feed:
    """One [[feeds]] entry, checked: an http(s) URL, a positive interval, a language tag, a source name."""
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    url = _typed(entry, "url", str, where).strip()
    parts = urlsplit(url)
    _require(parts.scheme in ("http", "https") and bool(parts.hostname), f"{where}.url", "must be an http(s) URL", url)
    language = _typed(entry, "language", str, where)
    _require(bool(_LANGUAGE.match(language)), f"{where}.language", "must be a BCP 47 tag such as 'en'", language)
    source = _typed(entry, "source", str, where).strip()
    _require(bool(source), f"{where}.source", "must not be empty", source)
    return Feed(
        url=url, interval_seconds=_positive(entry, "interval_seconds", where, float), language=language, source=source
    )


def parse_feeds_config(raw: Mapping[str, Any]) -> FeedsConfig:
    fetch, extract, state = (_section(raw, name) for name in ("fetch", "extract", "state"))
    settings = FetchSettings(
        user_agent=_typed(fetch, "user_agent", str, "fetch").replace("{version}", __version__),
        timeout_seconds=_positive(fetch, "timeout_seconds", "fetch", float),
        retries=_non_negative(fetch, "retries", "fetch", int),
        backoff_seconds=_non_negative(fetch, "backoff_seconds", "fetch"),
        backoff_max_seconds=_non_negative(fetch, "backoff_max_seconds", "fetch"),
        host_interval_seconds=_non_negative(fetch, "host_interval_seconds", "fetch"),
        robots_cache_seconds=_non_negative(fetch, "robots_cache_seconds", "fetch"),
        max_feed_bytes=_positive(fetch, "max_feed_bytes", "fetch"),
        max_page_bytes=_positive(fetch, "max_page_bytes", "fetch"),
    )
    _require(bool(settings.robots_agent), "fetch.user_agent", "must start with a product name", settings.user_agent)
    seen_topic = _typed(state, "seen_topic", str, "state")
    _require(
        bool(re.match(r"^[A-Za-z0-9._-]{1,249}$", seen_topic)),
        "state.seen_topic",
        "is not a valid Kafka topic name",
        seen_topic,
    )
    entries = raw.get("feeds", [])
    _require(isinstance(entries, list), "feeds", "must be an array of [[feeds]] tables", entries)
    feeds = tuple(parse_feed(entry, f"feeds[{i}]") for i, entry in enumerate(entries))
    urls = [feed.url for feed in feeds]
    _require(len(set(urls)) == len(urls), "feeds.url", "each feed may be listed once", urls)
    return FeedsConfig(
        fetch=settings,
        min_body_chars=_positive(extract, "min_body_chars", "extract"),
        state=StateSettings(seen_topic=seen_topic, max_attempts=_positive(state, "max_attempts", "state")),
        feeds=feeds,
    )


def load_feeds_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> FeedsConfig:
    environ = os.environ if environ is None else environ
    path = path or feeds_file(environ)
    raw = _read(path)
    settings = {name: value for name, value in raw.items() if name != "feeds"}
    return parse_feeds_config({**_apply_env(settings, environ, "STREAMS_FEEDS"), "feeds": raw.get("feeds", [])})


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"feeds file {path} not found (set STREAMS_FEEDS_FILE)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"feeds file {path} is not valid TOML: {exc}") from None


def _feed_blocks(text: str) -> tuple[list[str], list[list[str]]]:
    """The file's lines before the first [[feeds]] and one list of lines per feed.

    A block runs from its header to the next one; comment lines right above a header belong to that block.
    """
    head: list[str] = []
    blocks: list[list[str]] = []
    for line in text.splitlines(keepends=True):
        if _FEED_HEADER.match(line):
            current = blocks[-1] if blocks else head
            leading = 0
            while leading < len(current) and current[len(current) - 1 - leading].lstrip().startswith("#"):
                leading += 1
            carried = current[len(current) - leading :] if leading else []
            del current[len(current) - leading :]
            blocks.append(carried + [line])
        else:
            (blocks[-1] if blocks else head).append(line)
    return head, blocks


def _block_url(block: list[str]) -> str:
    return tomllib.loads("".join(block))["feeds"][0]["url"]


def add_feed(path: Path, feed: Feed) -> None:
    """Append a [[feeds]] entry; a URL already listed is a ConfigError."""
    text = path.read_text(encoding="utf-8")
    if any(existing.url == feed.url for existing in parse_feeds_config(_read(path)).feeds):
        raise ConfigError(f"feed {feed.url} is already listed in {path}")
    entry = (
        f"[[feeds]]\nurl = {json.dumps(feed.url)}\ninterval_seconds = {feed.interval_seconds:g}\n"
        f"language = {json.dumps(feed.language)}\nsource = {json.dumps(feed.source, ensure_ascii=False)}\n"
    )
    separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    path.write_text(text + separator + entry, encoding="utf-8")


def remove_feed(path: Path, url: str) -> None:
    """Delete the [[feeds]] entry with this URL; an unknown URL is a ConfigError."""
    head, blocks = _feed_blocks(path.read_text(encoding="utf-8"))
    kept = [block for block in blocks if _block_url(block) != url.strip()]
    if len(kept) == len(blocks):
        raise ConfigError(f"feed {url} is not listed in {path}")
    path.write_text("".join(head) + "".join("".join(block) for block in kept), encoding="utf-8")
