"""`streams feeds run|add|list|remove`: the poller and the feed list, wired into `streams.cli`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from urllib.parse import urlsplit

from streams.config import ConfigError
from streams.sources.feeds.config import add_feed, feeds_file, load_feeds_config, parse_feed, remove_feed


def _feeds_config():
    try:
        return load_feeds_config()
    except ConfigError as exc:
        sys.exit(f"streams feeds: configuration error: {exc}")


def cmd_run(args: argparse.Namespace) -> int:
    from streams.cli import _settings
    from streams.sources.feeds.run import Poller

    config = _feeds_config()
    if not config.feeds:
        print(f"streams feeds: no feeds listed in {feeds_file()} (see `streams feeds add`)", file=sys.stderr)
        return 1
    try:
        poller = Poller(_settings(), config, report=lambda line: print(line, flush=True))
    except ConfigError as exc:
        sys.exit(f"streams feeds: configuration error: {exc}")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    poller.start()
    try:
        poller.run(once=args.once, stop=stop)
    finally:
        poller.close()
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    path = feeds_file()
    try:
        feed = parse_feed(
            {
                "url": args.url,
                "interval_seconds": args.interval,
                "language": args.language,
                "source": args.source or urlsplit(args.url).hostname or "",
            },
            "feed",
        )
        add_feed(path, feed)
    except ConfigError as exc:
        print(f"streams feeds add: {exc}", file=sys.stderr)
        return 1
    print(f"added {feed.url} ({feed.source}, {feed.language}, every {feed.interval_seconds:g}s) to {path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for feed in _feeds_config().feeds:
        print(f"{feed.url}\t{feed.source}\t{feed.language}\tevery {feed.interval_seconds:g}s")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    path = feeds_file()
    try:
        remove_feed(path, args.url)
    except ConfigError as exc:
        print(f"streams feeds remove: {exc}", file=sys.stderr)
        return 1
    print(f"removed {args.url} from {path}")
    return 0


def add_feeds_parser(sub: argparse._SubParsersAction) -> None:
    feeds = sub.add_parser("feeds", help="poll RSS/Atom feeds into articles.raw; edit the feed list")
    actions = feeds.add_subparsers(dest="feeds_command", required=True)

    run = actions.add_parser("run", help="poll the listed feeds (Ctrl-C or SIGTERM stops)")
    run.add_argument("--once", action="store_true", help="poll each feed once, then exit")
    run.set_defaults(func=cmd_run)

    add = actions.add_parser("add", help="add a feed to the list")
    add.add_argument("url")
    add.add_argument("--interval", type=float, default=900, help="seconds between polls (default 900)")
    add.add_argument("--language", default="en", help="BCP 47 language of its articles (default en)")
    add.add_argument("--source", help="publisher name for the events (default: the host name)")
    add.set_defaults(func=cmd_add)

    actions.add_parser("list", help="show the listed feeds").set_defaults(func=cmd_list)

    remove = actions.add_parser("remove", help="remove a feed from the list")
    remove.add_argument("url")
    remove.set_defaults(func=cmd_remove)
