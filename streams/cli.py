"""`python -m streams ...` / `streams ...`: the one command-line entry point."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from streams.config import ROLES, ConfigError, Settings
from streams.config import settings as load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        sys.exit(f"streams: configuration error: {exc}")


def _limits(settings: Settings):
    from streams.contract.schema import Limits

    return Limits(max_body_chars=settings.limits.max_body_chars, max_id_chars=settings.limits.max_id_chars)


def cmd_kafka(args: argparse.Namespace) -> int:
    from streams.kafka import broker, topics

    settings = _settings()
    try:
        if args.action == "start":
            started = time.monotonic()
            pid = broker.start(settings)
            created = topics.ensure_topics(settings)
            print(
                f"kafka {settings.kafka.version} running on {settings.kafka.bootstrap_servers} (pid {pid}, "
                f"{time.monotonic() - started:.1f}s); topics created: {', '.join(created) or 'none needed'}"
            )
        elif args.action == "stop":
            print("kafka stopped" if broker.stop(settings) else "kafka was not running")
        elif args.action == "status":
            state = broker.status(settings)
            print(orjson.dumps(state, option=orjson.OPT_INDENT_2).decode())
            return 0 if state["answers"] else 1
        elif args.action == "wipe":
            broker.wipe(settings)
            print(f"wiped {broker.paths_for(settings.kafka).instance}")
    except broker.BrokerError as exc:
        print(f"streams kafka {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from streams.kafka.topics import ensure_topics

    created = ensure_topics(_settings())
    print(f"topics created: {', '.join(created) or 'none needed'}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from streams.kafka.topics import ensure_topics
    from streams.worker.app import create_app

    if args.web_port:
        os.environ["STREAMS_WORKER_WEB_PORT"] = str(args.web_port)
    if args.role:
        os.environ["STREAMS_WORKER_ROLE"] = args.role
    load_settings.cache_clear()
    settings = _settings()
    logging.getLogger(__name__).info("settings: %s", settings.redacted())
    sys.setswitchinterval(settings.worker.switch_interval_seconds)
    ensure_topics(settings)
    app = create_app(settings)
    sys.argv = [
        sys.argv[0],
        "worker",
        "--loglevel",
        args.loglevel,
        "--web-port",
        str(settings.worker.web_port),
        "--web-host",
        settings.worker.web_host,
    ]
    app.main()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from streams.kafka.clients import json_producer
    from streams.sources.ingest import ingest_stream

    settings = _settings()
    source = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115 - closed by the with below
    total = None if args.file == "-" else Path(args.file).stat().st_size
    producer = json_producer(settings)
    with (
        source,
        tqdm(total=total, unit="B", unit_scale=True, desc="ingest", file=sys.stderr, disable=args.quiet) as bar,
    ):
        report = ingest_stream(
            source,
            producer,
            settings.topics.raw.name,
            _limits(settings),
            validate=not args.no_validate,
            on_line=bar.update,
        )
    producer.close()
    rejected = sum(report.rejected.values())
    print(
        f"sent {report.sent} articles to {settings.topics.raw.name}; rejected {rejected}"
        + (f" ({', '.join(f'{r}: {n}' for r, n in report.rejected.most_common())})" if rejected else ""),
        file=sys.stderr,
    )
    for line in report.first_errors:
        print(f"  {line}", file=sys.stderr)
    return 0


def cmd_tail(args: argparse.Namespace) -> int:
    from streams.kafka.clients import raw_consumer
    from streams.kafka.tail import render

    settings = _settings()
    consumer = raw_consumer(
        settings,
        args.topic,
        auto_offset_reset="latest" if args.from_end else "earliest",
        consumer_timeout_ms=int(args.timeout * 1000) if args.timeout else float("inf"),
    )
    shown = 0
    try:
        for message in consumer:
            print(render(message, args.format), flush=True)
            shown += 1
            if args.max and shown >= args.max:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


def _count_lines(path: str) -> int:
    with open(path, "rb") as lines:
        return sum(1 for _ in lines)


def cmd_enrich(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from streams.enrichment.enricher import Enricher, enrich_lines

    settings = _settings()
    source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115 - closed by the with below
    sink = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")  # noqa: SIM115 - closed at the end
    total = None if args.input == "-" else _count_lines(args.input)
    enricher = Enricher(batch_size=args.batch_size)
    with (
        source,
        tqdm(
            total=total, unit="article", desc="enrich", file=sys.stderr, disable=args.input == "-" or args.quiet
        ) as bar,
    ):
        for event in enrich_lines(source, enricher, _limits(settings), batch_size=args.batch_size):
            sink.write(orjson.dumps(event) + b"\n")
            bar.update(1)
    if sink is not sys.stdout.buffer:
        sink.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streams", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    kafka = sub.add_parser("kafka", help="the local Kafka broker (KRaft, from Maven Central jars)")
    kafka.add_argument("action", choices=["start", "stop", "status", "wipe"])
    kafka.set_defaults(func=cmd_kafka)

    sub.add_parser("topics", help="create the pipeline's topics").set_defaults(func=cmd_topics)

    worker = sub.add_parser("worker", help="run the faust worker")
    worker.add_argument("--web-port", type=int, help="HTTP port (default worker.web_port); one per worker")
    worker.add_argument(
        "--role", choices=ROLES, help="what this process runs (default worker.role): all, enrich or rollups"
    )
    worker.add_argument("--loglevel", default="info")
    worker.set_defaults(func=cmd_worker)

    ingest = sub.add_parser("ingest", help="send JSONL raw articles to articles.raw")
    ingest.add_argument("file", help="JSONL file, or - for stdin")
    ingest.add_argument("--no-validate", action="store_true", help="send lines unchecked (dead-letter demo)")
    ingest.add_argument("--quiet", action="store_true")
    ingest.set_defaults(func=cmd_ingest)

    tail = sub.add_parser("tail", help="pretty-print events of a topic as they arrive")
    tail.add_argument("topic")
    tail.add_argument("--max", type=int, default=0, help="stop after this many events")
    tail.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds")
    tail.add_argument("--from-end", action="store_true", help="only new events")
    tail.add_argument("--format", choices=["json", "brief"], default="json")
    tail.set_defaults(func=cmd_tail)

    enrich = sub.add_parser("enrich", help="enrich JSONL in-process, no broker")
    enrich.add_argument("--input", required=True, help="JSONL raw articles, or -")
    enrich.add_argument("--output", required=True, help="JSONL enriched events, or -")
    enrich.add_argument("--batch-size", type=int, default=64)
    enrich.add_argument("--quiet", action="store_true")
    enrich.set_defaults(func=cmd_enrich)

    # `eval` hands its arguments to streams.evaluate (see main); declared here so that --help lists it
    sub.add_parser("eval", help="score casualty extraction on a labelled set (streams eval --help)", add_help=False)

    from streams.sources.feeds.cli import add_feeds_parser

    add_feeds_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval"]:
        from streams import evaluate

        return evaluate.main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)  # kafka-python is chatty at INFO
    return args.func(args) or 0
