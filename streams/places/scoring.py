"""Scores `summary.place` against coded places, as ../shared/notes/evaluation.md describes ("Places").

geo: ACLED-style rows with country_code, admin1, lat, lon: the shares of events whose place names the coded
country, lies within 50 km of the coded point, and names the coded admin1 (names folded). gva-places: pages of
gva-incidents-dev.jsonl, the share whose place names the incident's state. Both halves of the set (split by a
hash of the id) are reported, so one can tune on one and read the other.

    python -m streams.places.scoring --set geo --data ../shared/data/acled2020-dev.jsonl --enriched FILE
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from streams.places.resolve import distance_km

FOLDED_WORDS = {"al", "el", "province", "governorate", "state", "region", "division", "district"}
HALVES = ("A", "B")


def fold_region(name: str | None) -> str:
    """evaluation.md's folding: case, accents, hyphens as spaces, no "al"/"el" and no designator words."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("-", " ")
    return " ".join(word for word in text.split() if word not in FOLDED_WORDS)


def half_of(row_id: str) -> str:
    """A: even, B: odd last byte of the id's hash; stable across runs and machines."""
    return HALVES[hashlib.blake2b(row_id.encode(), digest_size=4).digest()[-1] % 2]


def _read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _enriched_events(data: list[dict], enriched: Path | None, body_of) -> Iterator[dict]:
    if enriched is not None:
        yield from _read_jsonl(enriched)
        return
    from streams.enrichment.enricher import Enricher, enrich_lines

    lines = (json.dumps({"id": i, "body": b, **extra}).encode() for i, b, extra in body_of(data))
    yield from enrich_lines(lines, Enricher())


def _geo_rows(data: list[dict]) -> Iterable[tuple[str, str, dict]]:
    return ((row["id"], row["text"], {}) for row in data)


def _gva_pages(data: list[dict]) -> list[dict]:
    return [
        {"id": page["id"], "body": page["body"], "state": incident["state"], "title": page.get("title") or ""}
        for incident in data
        for page in incident["articles"]
    ]


def score_geo(data: list[dict], placed: dict[str, dict | None]) -> dict:
    results = {}
    for half in (*HALVES, "all"):
        rows = [r for r in data if half == "all" or half_of(r["id"]) == half]
        country = near = region = found = 0  # counts of events
        for row in rows:
            place = placed.get(row["id"])
            if not place:
                continue
            found += 1
            country += place.get("country") == row["country_code"]
            if place.get("lat") is not None and row.get("lat") is not None:
                near += distance_km(place["lat"], place["lon"], row["lat"], row["lon"]) <= 50.0
            region += bool(row.get("admin1")) and fold_region(_admin1_name(place)) == fold_region(row["admin1"])
        n = len(rows) or 1
        results[half] = {
            "events": len(rows),
            "placed": round(found / n, 4),
            "country": round(country / n, 4),
            "within_50km": round(near / n, 4),
            "admin1": round(region / n, 4),
        }
    return results


def _admin1_name(place: dict | None) -> str:
    return ((place or {}).get("admin1") or {}).get("name") or ""


def score_gva(pages: list[dict], placed: dict[str, dict | None]) -> dict:
    results = {}
    for half in (*HALVES, "all"):
        rows = [p for p in pages if half == "all" or half_of(p["id"]) == half]
        right = sum(1 for p in rows if fold_region(_admin1_name(placed.get(p["id"]))) == fold_region(p["state"]))
        country = sum(1 for p in rows if (placed.get(p["id"]) or {}).get("country") == "US")
        n = len(rows) or 1
        results[half] = {"pages": len(rows), "state": round(right / n, 4), "country": round(country / n, 4)}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="streams eval --set geo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("geo", "gva-places"), required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--enriched", type=Path, help="`streams enrich` output for --data (else enriched here)")
    parser.add_argument("--output", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    from streams.places import place_article

    data = list(_read_jsonl(args.data))
    rows = data if args.set == "geo" else _gva_pages(data)
    body_of = _geo_rows if args.set == "geo" else (lambda ps: ((p["id"], p["body"], {"title": p["title"]}) for p in ps))
    started = time.perf_counter()
    placed = {}
    for event in _enriched_events(rows, args.enriched, body_of):
        if "error" not in event:
            placed[event["id"]] = place_article(event)["summary"].get("place")
    scores = score_geo(rows, placed) if args.set == "geo" else score_gva(rows, placed)
    result = {
        "set": args.set,
        "data": str(args.data),
        "scores": scores,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(result, indent=2))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
