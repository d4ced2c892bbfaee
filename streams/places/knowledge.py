"""The place stage's knowledge as data: config/places/*.json(l), loaded and validated once per process."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.places.names import fold

CONFIG_DIR = Path(os.environ.get("STREAMS_PLACES_CONFIG", Path(__file__).resolve().parents[2] / "config" / "places"))
LEVELS = ("admin1", "admin2", "locality")


class PlacesConfigError(ValueError):
    """A config/places table is malformed; the message names the file and the row."""


def read_json(name: str) -> dict[str, Any]:
    with open(CONFIG_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def read_jsonl(name: str, directory: Path | None = None) -> Iterator[dict[str, Any]]:
    path = (directory or CONFIG_DIR) / name
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PlacesConfigError(f"{path}:{number}: {exc}") from exc


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise PlacesConfigError(f"{where}: {message}")


def _country_code(value: Any, where: str) -> str:
    _require(
        isinstance(value, str) and len(value) == 2 and value.isupper(), where, f"country {value!r} is not ISO alpha-2"
    )
    return value


def _strings(value: Any, where: str, field: str) -> list[str]:
    _require(
        isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
        where,
        f"{field} must be a list of non-empty strings",
    )
    return list(value)


@dataclass(frozen=True)
class Knowledge:
    """Designator words by level, abbreviations, country aliases and demonyms, admin1 names, curated places."""

    designators: dict[str, tuple[str, ...]]  # level -> folded words
    region_words: frozenset[str]
    surroundings: frozenset[str]
    not_place_heads: tuple[str, ...]
    abbreviations: dict[str, list[tuple[str, str]]]  # exact abbreviation -> [(country, admin1 name)]
    country_aliases: dict[str, list[str]]  # country -> aliases
    demonyms: dict[str, str]  # folded demonym -> country
    admin1_names: list[dict[str, Any]]  # rows of admin1_names.jsonl
    actors: dict[str, str]  # exact name -> country
    modifiers: frozenset[str]
    not_place_after: tuple[str, ...]
    cut_words: frozenset[str]
    resident_nouns: frozenset[str]
    drop_words: frozenset[str]
    locative_cues: frozenset[str]
    leading_words: frozenset[str]
    name_particles: frozenset[str]
    directions: frozenset[str]
    part_words: frozenset[str]
    area_nouns: frozenset[str]

    def level_of_designator(self, word: str) -> tuple[str, ...]:
        """The levels a designator word can mean, in order of preference ('district' -> admin2, then ...)."""
        key = fold(word)
        return tuple(level for level in LEVELS if key in self.designators[level])


def _designators(where: str = "designators.json") -> dict[str, Any]:
    data = read_json(where)
    for field in (*LEVELS, "region_words", "surroundings", "not_place_heads"):
        _strings(data.get(field), where, field)
    return data


def _abbreviations(where: str = "abbreviations.json") -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for number, row in enumerate(read_json(where).get("regions") or [], start=1):
        at = f"{where} row {number}"
        country = _country_code(row.get("country"), at)
        _require(isinstance(row.get("admin1"), str), at, "admin1 must be a name")
        for abbreviation in _strings(row.get("abbreviations"), at, "abbreviations"):
            table.setdefault(abbreviation, []).append((country, row["admin1"]))
    return table


def _countries(where: str = "countries.jsonl") -> tuple[dict[str, list[str]], dict[str, str]]:
    aliases: dict[str, list[str]] = {}
    demonyms: dict[str, str] = {}
    for number, row in enumerate(read_jsonl(where), start=1):
        at = f"{where}:{number}"
        country = _country_code(row.get("country"), at)
        aliases.setdefault(country, []).extend(_strings(row.get("aliases", []), at, "aliases"))
        for demonym in _strings(row.get("demonyms", []), at, "demonyms"):
            demonyms[fold(demonym)] = country
    return aliases, demonyms


def _admin1_names(where: str = "admin1_names.jsonl") -> list[dict[str, Any]]:
    rows = []
    for number, row in enumerate(read_jsonl(where), start=1):
        if "_doc" in row:
            continue
        at = f"{where}:{number}"
        _country_code(row.get("country"), at)
        _require(
            isinstance(row.get("admin1"), str) and isinstance(row.get("name"), str),
            at,
            "admin1 (the gazetteer's name) and name (the name to report) are required",
        )
        _strings(row.get("aliases", []), at, "aliases")
        rows.append(row)
    return rows


def _actors(where: str = "actors.jsonl") -> dict[str, str]:
    found: dict[str, str] = {}
    for number, row in enumerate(read_jsonl(where), start=1):
        if "_doc" in row:
            continue
        at = f"{where}:{number}"
        country = _country_code(row.get("country"), at)
        for name in _strings(row.get("names"), at, "names"):
            found[name] = country
    return found


def _context(where: str = "context.json") -> dict[str, frozenset[str]]:
    data = read_json(where)
    fields = ("locative_cues", "leading_words", "name_particles", "directions", "part_words", "area_nouns")
    return {field: frozenset(fold(w) for w in _strings(data.get(field), where, field)) for field in fields}


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """All of config/places, validated; a malformed table stops the process with its file and row."""
    designators = _designators()
    aliases, demonyms = _countries()
    return Knowledge(
        designators={level: tuple(fold(w) for w in designators[level]) for level in LEVELS},
        region_words=frozenset(fold(w) for w in designators["region_words"]),
        surroundings=frozenset(fold(w) for w in designators["surroundings"]),
        not_place_heads=tuple(fold(w) for w in designators["not_place_heads"]),
        abbreviations=_abbreviations(),
        country_aliases=aliases,
        demonyms=demonyms,
        admin1_names=_admin1_names(),
        actors=_actors(),
        modifiers=frozenset(
            fold(w) for w in _strings(read_json("context.json").get("modifiers"), "context.json", "modifiers")
        ),
        resident_nouns=frozenset(
            fold(w) for w in _strings(read_json("context.json").get("resident_nouns"), "context.json", "resident_nouns")
        ),
        cut_words=frozenset(
            fold(w) for w in _strings(read_json("context.json").get("cut_words"), "context.json", "cut_words")
        ),
        drop_words=frozenset(
            fold(w) for w in _strings(read_json("context.json").get("drop_words"), "context.json", "drop_words")
        ),
        not_place_after=tuple(
            fold(w)
            for w in _strings(read_json("context.json").get("not_place_after"), "context.json", "not_place_after")
        ),
        **_context(),
    )


def config_files() -> list[Path]:
    """The tables the gazetteer build reads (their contents key its cache)."""
    return sorted(p for p in CONFIG_DIR.glob("*.json*") if p.is_file())
