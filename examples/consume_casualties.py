"""A downstream service in a few lines: read the `casualties` topic with kafka-python, validate each event against
its JSON Schema, and print a running table of killed/injured per place, each incident once (as the rollups).

    .venv/bin/python examples/consume_casualties.py [--from-end] [--every 20]
"""

from __future__ import annotations

import argparse

import orjson

from streams.config import settings
from streams.contract.schema import CASUALTY_SCHEMA, schema_validator
from streams.kafka.clients import raw_consumer
from streams.rollups import contribution, counts_toward_totals, dedup_key, merge, row_key


def print_table(totals: dict[str, dict]) -> None:
    print(f"\n{'place':40} {'country':8} {'killed':>8} {'injured':>8}")
    for row in sorted(totals.values(), key=lambda r: -r["outcomes"].get("killed", {}).get("total", 0)):
        outcomes = row["outcomes"]
        print(
            f"{row['name'][:40]:40} {row['country'] or '-':8} "
            f"{outcomes.get('killed', {}).get('total', 0):>8} {outcomes.get('injured', {}).get('total', 0):>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-end", action="store_true", help="only figures published from now on")
    parser.add_argument("--every", type=int, default=20, help="print the table after this many figures")
    args = parser.parse_args()
    config = settings()
    validator = schema_validator(CASUALTY_SCHEMA)
    consumer = raw_consumer(
        config, config.topics.casualties.name, auto_offset_reset="latest" if args.from_end else "earliest"
    )
    seen: set[str] = set()
    totals: dict[str, dict] = {}
    received = 0
    try:
        for message in consumer:
            event = orjson.loads(message.value)
            errors = sorted(validator.iter_errors(event), key=str)
            if errors:
                print(f"skipping invalid event {message.partition}@{message.offset}: {errors[0].message}")
                continue
            received += 1
            if counts_toward_totals(event) and dedup_key(event) not in seen:
                seen.add(dedup_key(event))
                key = row_key(event, "place")
                totals[key] = merge(totals.get(key), contribution(event, "place"))
            if received % args.every == 0:
                print_table(totals)
    except KeyboardInterrupt:
        pass
    finally:
        print_table(totals)
        consumer.close()


if __name__ == "__main__":
    main()
