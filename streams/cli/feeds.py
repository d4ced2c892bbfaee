"""`streams feeds run|add|list|remove`: the feed poller and the feed list (config/feeds.toml)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from streams.cli.broker import cluster_topics, quiet_kafka_logs
from streams.cli.errors import CliError, ExitCode, readable_file
from streams.cli.options import kafka_options, settings
from streams.config import ConfigError

F = TypeVar("F", bound=Callable[..., Any])


def _set_feeds_file(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        os.environ["STREAMS_FEEDS_FILE"] = readable_file(value, "feed list")


def feeds_file_option(command: F) -> F:
    return click.option(
        "--feeds-file",
        metavar="FILE",
        expose_value=False,
        callback=_set_feeds_file,
        help="The feed list instead of config/feeds.toml (sets STREAMS_FEEDS_FILE).",
    )(command)


def _feeds_config():
    from streams.sources.feeds.config import load_feeds_config

    try:
        return load_feeds_config()
    except ConfigError as exc:
        raise CliError(ExitCode.CONFIG, f"configuration error: {exc}") from None


@click.group("feeds")
def feeds_group() -> None:
    """Poll RSS/Atom feeds into articles.raw; edit the feed list."""


@feeds_group.command("run")
@click.option("--once", is_flag=True, help="Poll each feed once, then exit.")
@feeds_file_option
@kafka_options
def feeds_run(once: bool) -> int:
    """Poll the listed feeds (Ctrl-C or SIGTERM stops)."""
    from streams.sources.feeds.config import feeds_file
    from streams.sources.feeds.run import Poller

    config = _feeds_config()
    if not config.feeds:
        raise CliError(ExitCode.FAILED, f"no feeds listed in {feeds_file()} (see `streams feeds add`)")
    stream_settings = settings()
    cluster_topics(stream_settings)  # exit 5 within --connect-timeout when no broker answers
    try:
        poller = Poller(stream_settings, config, report=lambda line: click.echo(line))
    except ConfigError as exc:
        raise CliError(ExitCode.CONFIG, f"configuration error: {exc}") from None
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with quiet_kafka_logs():
        poller.start()
    try:
        poller.run(once=once, stop=stop)
    finally:
        poller.close()
    return ExitCode.OK


@feeds_group.command("add")
@click.argument("url")
@click.option("--interval", type=float, default=900, show_default=True, help="Seconds between polls.")
@click.option("--language", default="en", show_default=True, help="BCP 47 language of its articles.")
@click.option("--source", help="Publisher name for the events (default: the host name).")
@feeds_file_option
def feeds_add(url: str, interval: float, language: str, source: str | None) -> int:
    """Add a feed to the list (the file's comments are kept)."""
    from streams.sources.feeds.config import add_feed, feeds_file, parse_feed

    path = feeds_file()
    try:
        feed = parse_feed(
            {
                "url": url,
                "interval_seconds": interval,
                "language": language,
                "source": source or urlsplit(url).hostname or "",
            },
            "feed",
        )
        add_feed(path, feed)
    except ConfigError as exc:
        raise CliError(ExitCode.FAILED, str(exc)) from None
    click.echo(f"added {feed.url} ({feed.source}, {feed.language}, every {feed.interval_seconds:g}s) to {path}")
    return ExitCode.OK


@feeds_group.command("list")
@feeds_file_option
def feeds_list() -> int:
    """Show the listed feeds, one a line (url, source, language, interval; tab-separated)."""
    for feed in _feeds_config().feeds:
        click.echo(f"{feed.url}\t{feed.source}\t{feed.language}\tevery {feed.interval_seconds:g}s")
    return ExitCode.OK


@feeds_group.command("remove")
@click.argument("url")
@feeds_file_option
def feeds_remove(url: str) -> int:
    """Remove a feed from the list."""
    from streams.sources.feeds.config import feeds_file, remove_feed

    path = feeds_file()
    try:
        remove_feed(path, url)
    except ConfigError as exc:
        raise CliError(ExitCode.FAILED, str(exc)) from None
    click.echo(f"removed {url} from {path}")
    return ExitCode.OK
