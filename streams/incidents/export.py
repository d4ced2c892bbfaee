"""The live incidents as a table analysts can open: ACLED-like columns, CSV or Parquet.

`read_live(consumer, partitions)` reads the compacted `incidents` topic from its start to its end, keeping the
last value per key and dropping tombstones and `merged_into` records: exactly the live incidents. `rows`
turns them into one row each (the incidents the totals count), and `write_csv` / `write_parquet` write them.
Columns: incident_id, event_date (the incident day), country (its name), country_code, admin1, admin2,
location, latitude, longitude, fatalities (`killed.min`, the value used for totals), injured (`injured.min`),
sources (each report's outlet or title, `; `-separated), notes (the evidence sentences), articles.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

COLUMNS = (
    "incident_id",
    "event_date",
    "country",
    "country_code",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "injured",
    "sources",
    "notes",
    "articles",
)


def read_live(consumer: Any, partitions: list, idle_s: float = 2.0) -> dict[str, dict]:
    """The live incidents on the assigned `partitions`, read from the start to the end offsets of now."""
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)
    live: dict[str, dict] = {}
    last_seen = time.monotonic()
    while any(consumer.position(tp) < end for tp, end in ends.items()):
        batches = consumer.poll(timeout_ms=500)
        if batches:
            last_seen = time.monotonic()
        elif time.monotonic() - last_seen > idle_s:
            break
        for messages in batches.values():
            for message in messages:
                apply(live, message.key, message.value)
    return live


def apply(live: dict[str, dict], key: bytes | str | None, value: bytes | None) -> None:
    """One record of the topic: the last value per key; tombstones and merged_into records end the incident."""
    incident_id = key.decode() if isinstance(key, bytes) else str(key)
    record = orjson.loads(value) if value is not None else None
    if record is None or record.get("merged_into"):
        live.pop(incident_id, None)
    else:
        live[incident_id] = record


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "name", None) or code


def row_of(record: dict) -> dict[str, Any]:
    place = record.get("place") or {}
    admin1 = place.get("admin1") or {}
    admin2 = place.get("admin2")
    sources = record.get("sources") or []
    notes: list[str] = []
    for source in sources:
        notes.extend(sentence for sentence in source.get("evidence") or [] if sentence not in notes)
    code = place.get("country") or str(record.get("region") or "").split("/")[0] or None
    return {
        "incident_id": record["id"],
        "event_date": record.get("day"),
        "country": country_name(code),
        "country_code": code,
        "admin1": admin1.get("name") if isinstance(admin1, dict) else admin1,
        "admin2": admin2.get("name") if isinstance(admin2, dict) else admin2,
        "location": place.get("name"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "fatalities": (record.get("killed") or {}).get("min", 0),
        "injured": (record.get("injured") or {}).get("min", 0),
        "sources": "; ".join(dict.fromkeys(s.get("source") or s.get("title") or s["article_id"] for s in sources)),
        "notes": " ".join(notes),
        "articles": len(record.get("articles") or []),
    }


def rows(records: Iterable[dict]) -> list[dict[str, Any]]:
    """One row per counted incident, by incident day then id (an incident known only from follow-ups is left
    out, as from the totals)."""
    chosen = [r for r in records if r.get("counted", True) and r.get("id")]
    chosen.sort(key=lambda r: (r.get("day") or "", r["id"]))
    return [row_of(record) for record in chosen]


def write_csv(table: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as sink:
        writer = csv.DictWriter(sink, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(table)


def write_parquet(table: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("incident_id", pa.string()),
            ("event_date", pa.date32()),
            ("country", pa.string()),
            ("country_code", pa.string()),
            ("admin1", pa.string()),
            ("admin2", pa.string()),
            ("location", pa.string()),
            ("latitude", pa.float64()),
            ("longitude", pa.float64()),
            ("fatalities", pa.int64()),
            ("injured", pa.int64()),
            ("sources", pa.string()),
            ("notes", pa.string()),
            ("articles", pa.int64()),
        ]
    )
    from datetime import date

    columns = {name: [row[name] for row in table] for name in COLUMNS}
    columns["event_date"] = [date.fromisoformat(day) if day else None for day in columns["event_date"]]
    pq.write_table(pa.table(columns, schema=schema), path)
