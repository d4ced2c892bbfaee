"""A downstream service reading enriched articles: kafka-python and jsonschema only, no code of this project.

Each value of `articles.enriched` is checked against the enriched-article schema (one file, valid on its own) and
printed as one line: the article, its incident toll for every outcome it states, and its place.

    python examples/consume_articles.py [--bootstrap-server localhost:9092] [--topic articles.enriched]
        [--schema streams/contract/schemas/enriched-article.v1.json] [--from-end] [--max N] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
from kafka import KafkaConsumer

SCHEMA = Path(__file__).resolve().parents[1] / "streams/contract/schemas/enriched-article.v1.json"


def describe(event: dict) -> str:
    """'id: title | killed 12, injured 31 | Kabul, AF' (outcomes at 0 are left out)."""
    summary = event["summary"]
    tolls = [
        f"{outcome} {toll['min']}" + ("" if toll["max"] == toll["min"] else f"-{toll['max'] or '?'}")
        for outcome, toll in summary.items()
        if isinstance(toll, dict) and set(toll) == {"min", "max"} and toll["min"] > 0
    ]
    place = summary.get("place") or {}
    where = ", ".join(part for part in (place.get("name"), place.get("country")) if part)
    title = (event.get("title") or event["body"][:60]).replace("\n", " ")
    return f"{event['id']}: {title} | {', '.join(tolls) or 'no casualties'} | {where or 'no place'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-server", default="localhost:9092")
    parser.add_argument("--topic", default="articles.enriched")
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--from-end", action="store_true", help="only articles published from now on")
    parser.add_argument("--max", type=int, default=0, help="stop after this many articles")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds")
    args = parser.parse_args(argv)
    validator = jsonschema.Draft202012Validator(json.loads(args.schema.read_text()))
    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap_server.split(","),
        auto_offset_reset="latest" if args.from_end else "earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=int(args.timeout * 1000) if args.timeout else float("inf"),
    )
    seen = 0
    try:
        for message in consumer:
            event = json.loads(message.value)
            error = next(iter(validator.iter_errors(event)), None)
            if error is not None:
                print(f"invalid event at {message.partition}@{message.offset}: {error.json_path}: {error.message}")
                continue
            print(describe(event), flush=True)
            seen += 1
            if args.max and seen >= args.max:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
