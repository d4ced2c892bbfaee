"""A downstream service reading incidents: kafka-python and jsonschema only, no code of this project.

The incidents topic is compacted and keyed by incident id: the last value per key is the incident as it stands.
A consumer that keeps the last value per key and drops tombstones and records with `merged_into` holds exactly
the live incidents (incident.v1.json). Each value is checked against the schema; the live incidents are printed.

    python examples/consume_incidents.py --topic incidents [--bootstrap-server localhost:9092]
        [--schema streams/contract/schemas/incident.v1.json] [--from-end] [--max N] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
from kafka import KafkaConsumer

SCHEMA = Path(__file__).resolve().parents[1] / "streams/contract/schemas/incident.v1.json"


def apply(live: dict[str, dict], key: str, value: dict | None) -> None:
    """The live set after one record: a tombstone or a merged record removes the id, a record replaces it."""
    if value is None or value.get("merged_into"):
        live.pop(key, None)
    else:
        live[key] = value


def describe(incident: dict) -> str:
    place = incident.get("place") or {}
    where = ", ".join(part for part in (place.get("name"), place.get("country")) if part) or incident["region"]
    killed, injured = incident["killed"], incident["injured"]
    return (
        f"{incident['id']} v{incident['version']} {incident['day'] or '?'} {where}: killed {killed['min']}, "
        f"injured {injured['min']} ({len(incident['sources'])} reports)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-server", default="localhost:9092")
    parser.add_argument("--topic", default="incidents", help="the incidents topic (topics.incidents)")
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--from-end", action="store_true", help="only records published from now on")
    parser.add_argument("--max", type=int, default=0, help="stop after this many records")
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
    live: dict[str, dict] = {}
    received = 0
    try:
        for message in consumer:
            key = message.key.decode() if message.key is not None else ""
            value = None if message.value is None else json.loads(message.value)
            error = None if value is None else next(iter(validator.iter_errors(value)), None)
            if error is not None:
                print(f"invalid record at {message.partition}@{message.offset}: {error.json_path}: {error.message}")
                continue
            apply(live, key, value)
            received += 1
            if args.max and received >= args.max:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    print(f"{len(live)} live incidents")
    for incident in sorted(live.values(), key=lambda i: (i["day"] or "", i["id"])):
        print(describe(incident), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
