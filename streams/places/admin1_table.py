"""Derives config/places/admin1_names.jsonl: the names coded conflict data gives first-level regions.

Datasets such as ACLED name regions in their own spelling ("Idleb", "Al-Hasakeh", "Sud-Kivu") where GeoNames says
"Idlib", "Al-Hasakah", "South Kivu"; notes written by their coders use the same names. For each coded event, the
gazetteer region holding the town nearest the coded point gets one vote for the coded name; a name that wins
most of a region's votes (and differs from what the gazetteer already calls it) becomes its reported name and
an alias. Run on the tuning half only, so the other half still measures what the table does on unseen rows:

    python -m streams.places.admin1_table --data ../shared/data/acled2020-dev.jsonl --half A
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from streams.places.gazetteer import LOCALITY, Gazetteer
from streams.places.scoring import fold_region, half_of

MAX_KM = 25.0
MIN_SHARE = 0.6


def votes(gazetteer: Gazetteer, rows: list[dict]) -> dict[int, Counter]:
    g = gazetteer
    kind, admin1 = np.asarray(g.kind), np.asarray(g.admin1)
    lat, lon = np.asarray(g.lat), np.asarray(g.lon)
    towns = np.flatnonzero((kind == LOCALITY) & (admin1 >= 0))
    by_country = defaultdict(list)
    for town in towns:
        by_country[g.country_of(int(town))].append(int(town))
    arrays = {c: np.asarray(t) for c, t in by_country.items()}
    found: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        same = arrays.get(row.get("country_code") or "")
        if same is None or not row.get("admin1") or row.get("lat") is None:
            continue
        dlat = np.radians(lat[same] - row["lat"])
        dlon = np.radians(lon[same] - row["lon"]) * np.cos(np.radians(row["lat"]))
        km = 6371.0 * np.sqrt(dlat**2 + dlon**2)
        nearest = int(np.argmin(km))
        if km[nearest] <= MAX_KM:
            found[int(g.admin1[same[nearest]])][row["admin1"]] += 1
    return found


def table(gazetteer: Gazetteer, rows: list[dict]) -> list[dict]:
    """Rows for admin1_names.jsonl; a coded name that is another region's name (a point near a border) is none."""
    g = gazetteer
    own_names = defaultdict(set)
    for region in {int(r) for r in g.admin1 if r >= 0}:
        own_names[g.country_of(region)].add(fold_region(g.names[region]))
    result = []
    for region, names in sorted(votes(gazetteer, rows).items()):
        name, count = names.most_common(1)[0]
        if count / sum(names.values()) < MIN_SHARE or fold_region(name) in own_names[g.country_of(region)]:
            continue
        result.append(
            {
                "country": gazetteer.country_of(region),
                "admin1": gazetteer.names[region],
                "name": name,
                "aliases": [name],
                "votes": count,
            }
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--half", choices=("A", "B", "all"), default="A")
    args = parser.parse_args(argv)
    with open(args.data, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    rows = [r for r in rows if args.half == "all" or half_of(r["id"]) == args.half]
    for row in table(Gazetteer(), rows):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
