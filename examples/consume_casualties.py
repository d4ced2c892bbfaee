"""A downstream service reading casualty figures: kafka-python and jsonschema only, no code of this project.

Each value of the `casualties` topic is checked against the casualty-figure schema (one file, valid on its own);
the figures an article counts in its incident toll (`figure.in_incident_total`, not cumulative) are added per
place, each figure once (a replayed article gives the same `event_id`), and the table is printed.

    python examples/consume_casualties.py [--bootstrap-server localhost:9092] [--topic casualties]
        [--schema streams/contract/schemas/casualty-figure.v1.json] [--from-end] [--every 20] [--max N] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
from kafka import KafkaConsumer

SCHEMA = Path(__file__).resolve().parents[1] / "streams/contract/schemas/casualty-figure.v1.json"


def place_of(event: dict) -> tuple[str, str]:
    """(place name, country) of a figure: its first location with a name, else its country."""
    for location in event["figure"].get("locations") or []:
        name = location.get("name") or location.get("canonical") or location.get("text")
        if name:
            return name, location.get("country") or event.get("country") or "-"
    return event.get("country") or "unknown", event.get("country") or "-"


def add(totals: dict, seen: set[str], event: dict) -> bool:
    """Count the figure into `totals` once; False when it does not count or was seen before."""
    figure = event["figure"]
    if not figure.get("in_incident_total") or figure["cumulative"] or event["event_id"] in seen:
        return False
    seen.add(event["event_id"])
    row = totals.setdefault(place_of(event), {})
    row[figure["outcome"]] = row.get(figure["outcome"], 0) + figure["count"]["min"]
    return True


def print_table(totals: dict) -> None:
    print(f"{'place':40} {'country':8} {'killed':>8} {'injured':>8}")
    for (place, country), row in sorted(totals.items(), key=lambda item: -item[1].get("killed", 0)):
        print(f"{place[:40]:40} {country:8} {row.get('killed', 0):>8} {row.get('injured', 0):>8}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-server", default="localhost:9092")
    parser.add_argument("--topic", default="casualties")
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--from-end", action="store_true", help="only figures published from now on")
    parser.add_argument("--every", type=int, default=20, help="print the table after this many figures")
    parser.add_argument("--max", type=int, default=0, help="stop after this many figures")
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
    totals: dict = {}
    seen: set[str] = set()
    received = 0
    try:
        for message in consumer:
            event = json.loads(message.value)
            error = next(iter(validator.iter_errors(event)), None)
            if error is not None:
                print(f"invalid event at {message.partition}@{message.offset}: {error.json_path}: {error.message}")
                continue
            add(totals, seen, event)
            received += 1
            if received % args.every == 0:
                print_table(totals)
            if args.max and received >= args.max:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    print_table(totals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
