"""Where the casualty layer's knowledge lives: data files under config/casualties/, read and checked once.

The mechanisms (the other modules of this package) ask for a vocabulary by name (``words("irrealis")``);
everything is loaded and validated on first use, and a malformed entry fails at import with a message
that names the file and the row. config/casualties/README.md describes the files.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Overridable so a deployment can ship its own tables without touching the package.
CONFIG_DIR = Path(
    os.environ.get("STREAMS_CASUALTIES_CONFIG", Path(__file__).resolve().parents[2] / "config" / "casualties")
)

OUTCOMES = ("killed", "injured", "kidnapped", "arrested", "missing", "displaced")
SIDES = ("after", "before")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to")
VICTIM_TYPES = ("civilian", "military", "militant", "police", "journalist", "aid_worker")
# Files of named word sets: one row per vocabulary, {"name", "note", and one of the kinds below}.
WORD_SET_FILES = (
    "persons.jsonl",
    "grammar.jsonl",
    "cues.jsonl",
    "markers.jsonl",
    "tolls.jsonl",
    "attribution.jsonl",
    "text.jsonl",
)
SET_KINDS = ("words", "phrases", "fragments", "mapping")


class KnowledgeError(ValueError):
    """A data file under config/casualties/ is missing or malformed; the message says where."""


@dataclass(frozen=True)
class TriggerRow:
    """One outcome trigger: the phrase, which side of the victims it stands on, what it says."""

    phrase: tuple[str, ...]
    side: str
    outcome: str
    weak: bool = False
    intransitive: bool = False


@dataclass(frozen=True)
class NumberPhrase:
    phrase: tuple[str, ...]
    value: int
    vague: bool


@dataclass(frozen=True)
class Numbers:
    units: dict[str, int]
    tens: dict[str, int]
    multipliers: dict[str, int]
    phrases: tuple[NumberPhrase, ...]
    qualifiers: tuple[tuple[tuple[str, ...], str], ...]
    ordinals: dict[str, int]
    ordinal_suffixes: frozenset[str]
    range_words: frozenset[str]


@dataclass(frozen=True)
class Calendar:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]


@dataclass(frozen=True)
class WordSet:
    name: str
    kind: str
    entries: tuple[str, ...]
    mapping: dict[str, str]
    source: str  # file and row, for messages


@dataclass(frozen=True)
class Knowledge:
    triggers: tuple[TriggerRow, ...]
    victim_types: dict[str, str]
    sets: dict[str, WordSet]
    numbers: Numbers
    calendar: Calendar
    typo_tolerant: tuple[str, ...]
    real_words: frozenset[str]
    causes: tuple[tuple[str, tuple[str, ...]], ...]


class _Where:
    """The file and row being read, so that every complaint names them."""

    def __init__(self, path: Path, row: str = ""):
        self.path, self.row = path, row

    def at(self, row: str) -> _Where:
        return _Where(self.path, row)

    def fail(self, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.path}: {self.row + ': ' if self.row else ''}{problem}")


def _read_json(where: _Where) -> dict:
    try:
        data = json.loads(where.path.read_text(encoding="utf-8"))
    except OSError as error:
        raise where.fail(f"cannot be read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise where.fail(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict):
        raise where.fail("must hold a JSON object")
    return data


def _read_jsonl(where: _Where) -> Iterator[tuple[_Where, dict]]:
    """Rows of a JSONL file with where each one is; a {"_doc": ...} row documents the file."""
    try:
        lines = where.path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise where.fail(f"cannot be read ({error.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row_where = where.at(f"row {number}")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise row_where.fail(f"not valid JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise row_where.fail("must be a JSON object")
        if set(row) != {"_doc"}:
            yield row_where, row


def _fields(where: _Where, row: dict, required: AbstractSet[str], optional: AbstractSet[str] = frozenset()) -> None:
    missing, unknown = required - set(row), set(row) - required - optional
    if missing:
        raise where.fail(f"missing {', '.join(sorted(missing))}")
    if unknown:
        raise where.fail(f"unknown field {', '.join(sorted(unknown))}")


def _entry(where: _Where, value: Any, *, spaces: bool) -> str:
    """One word (or phrase, with ``spaces``): a lower-case string, single-spaced."""
    if not isinstance(value, str) or not value.strip():
        raise where.fail(f"{value!r} is not a non-empty string")
    if value != value.lower():
        raise where.fail(f"{value!r} must be lower case (tokens are matched lower-cased)")
    if value != " ".join(value.split()) or (not spaces and " " in value):
        raise where.fail(f"{value!r} must be {'single-spaced' if spaces else 'one word, without spaces'}")
    return value


def _entries(where: _Where, values: Any, *, spaces: bool) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise where.fail("expected a non-empty list")
    entries = tuple(_entry(where, value, spaces=spaces) for value in values)
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    if duplicates:
        raise where.fail(f"listed twice: {', '.join(duplicates)}")
    return entries


def _flag(where: _Where, row: dict, name: str) -> bool:
    value = row.get(name, False)
    if not isinstance(value, bool):
        raise where.fail(f"{name} must be true or false")
    return value


def _choice(where: _Where, value: Any, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise where.fail(f"{field} {value!r} is not one of {', '.join(allowed)}")
    return value


def _count(where: _Where, value: Any, low: int = 0, high: int = 10_000_000) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise where.fail(f"{value!r} is not a whole number from {low} to {high}")
    return value


def _numbers_table(where: _Where, data: dict, key: str, low: int = 0, high: int = 10_000_000) -> dict[str, int]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise where.at(key).fail("expected an object of word: number")
    return {
        _entry(where.at(f"{key}.{word}"), word, spaces=False): _count(where.at(f"{key}.{word}"), value, low, high)
        for word, value in table.items()
    }


def _load_triggers(where: _Where) -> tuple[TriggerRow, ...]:
    rows, seen = [], set()
    for row_where, row in _read_jsonl(where):
        _fields(row_where, row, {"phrase", "side", "outcome"}, {"weak", "intransitive"})
        phrase = tuple(_entry(row_where, row["phrase"], spaces=True).split())
        side = _choice(row_where, row["side"], "side", SIDES)
        outcome = _choice(row_where, row["outcome"], "outcome", OUTCOMES)
        weak = _flag(row_where, row, "weak")
        if weak and outcome != "injured":
            raise row_where.fail("a weak trigger is an injury: outcome must be injured")
        if (phrase, side) in seen:
            raise row_where.fail(f"trigger {' '.join(phrase)!r} ({side}) listed twice")
        seen.add((phrase, side))
        rows.append(TriggerRow(phrase, side, outcome, weak, _flag(row_where, row, "intransitive")))
    return tuple(rows)


def _load_victim_types(where: _Where) -> dict[str, str]:
    types: dict[str, str] = {}
    for row_where, row in _read_jsonl(where):
        _fields(row_where, row, {"victim_type", "words"})
        kind = _choice(row_where, row["victim_type"], "victim_type", VICTIM_TYPES)
        for word in _entries(row_where, row["words"], spaces=False):
            if word in types:
                raise row_where.fail(f"{word!r} is already a {types[word]} word")
            types[word] = kind
    return types


def _load_word_sets(where: _Where, sets: dict[str, WordSet]) -> None:
    for row_where, row in _read_jsonl(where):
        kinds = [kind for kind in SET_KINDS if kind in row]
        if len(kinds) != 1:
            raise row_where.fail(f"needs exactly one of {', '.join(SET_KINDS)}")
        _fields(row_where, row, {"name", "note", kinds[0]})
        name = row["name"]
        if not isinstance(name, str) or not name.isidentifier():
            raise row_where.fail(f"name {name!r} must be an identifier")
        if not isinstance(row["note"], str) or not row["note"].strip():
            raise row_where.fail("note must say what the vocabulary is for")
        if name in sets:
            raise row_where.fail(f"vocabulary {name!r} is defined twice (first at {sets[name].source})")
        row_where = row_where.at(f"{row_where.row} ({name})")
        kind, mapping = kinds[0], {}
        if kind == "mapping":
            if not isinstance(row["mapping"], dict) or not row["mapping"]:
                raise row_where.fail("mapping must be a non-empty object")
            mapping = {
                _entry(row_where, k, spaces=False): _entry(row_where, v, spaces=False)
                for k, v in row["mapping"].items()
            }
            entries = tuple(mapping)
        else:
            entries = _entries(row_where, row[kind], spaces=kind != "words")
        sets[name] = WordSet(name, kind, entries, mapping, f"{where.path.name}: {row_where.row}")


def _load_numbers(where: _Where) -> Numbers:
    data = _read_json(where)
    phrases = []
    for i, row in enumerate(data.get("phrases") or []):
        row_where = where.at(f"phrases[{i}]")
        if not isinstance(row, dict):
            raise row_where.fail("must be an object")
        _fields(row_where, row, {"phrase", "value"}, {"vague"})
        phrases.append(
            NumberPhrase(
                tuple(_entry(row_where, row["phrase"], spaces=True).split()),
                _count(row_where, row["value"]),
                _flag(row_where, row, "vague"),
            )
        )
    qualifiers = []
    for i, row in enumerate(data.get("qualifiers") or []):
        row_where = where.at(f"qualifiers[{i}]")
        if not isinstance(row, dict):
            raise row_where.fail("must be an object")
        _fields(row_where, row, {"phrase", "qualifier"})
        qualifiers.append(
            (
                tuple(_entry(row_where, row["phrase"], spaces=True).split()),
                _choice(row_where, row["qualifier"], "qualifier", QUALIFIERS),
            )
        )
    if not phrases or not qualifiers:
        raise where.fail("needs phrases and qualifiers")
    suffixes = _entries(where.at("ordinal_suffixes"), data.get("ordinal_suffixes"), spaces=False)
    range_words = _entries(where.at("range_words"), data.get("range_words"), spaces=False)
    return Numbers(
        _numbers_table(where, data, "units", 0, 19),
        _numbers_table(where, data, "tens", 20, 90),
        _numbers_table(where, data, "multipliers", 100),
        tuple(phrases),
        tuple(qualifiers),
        _numbers_table(where, data, "ordinals", 2),
        frozenset(suffixes),
        frozenset(range_words),
    )


def _load_calendar(where: _Where) -> Calendar:
    data = _read_json(where)
    relative = data.get("relative_days")
    if not isinstance(relative, dict) or not relative:
        raise where.at("relative_days").fail("expected an object of phrase: days back")
    return Calendar(
        _numbers_table(where, data, "months", 1, 12),
        _numbers_table(where, data, "weekdays", 0, 6),
        {
            _entry(where.at(f"relative_days.{k}"), k, spaces=True): _count(where.at(f"relative_days.{k}"), v, 0, 7)
            for k, v in relative.items()
        },
    )


def _load_causes(where: _Where) -> tuple[tuple[str, tuple[str, ...]], ...]:
    causes: list[tuple[str, tuple[str, ...]]] = []
    for row_where, row in _read_jsonl(where):
        _fields(row_where, row, {"cause", "cues"})
        cause = _entry(row_where, row["cause"], spaces=True)
        if cause in dict(causes):
            raise row_where.fail(f"cause {cause!r} listed twice")
        causes.append((cause, _entries(row_where, row["cues"], spaces=True)))
    return tuple(causes)


def load(directory: Path) -> Knowledge:
    """Read and validate every file under ``directory``; raises KnowledgeError naming file and row."""
    directory = Path(directory)
    sets: dict[str, WordSet] = {}
    for name in WORD_SET_FILES:
        _load_word_sets(_Where(directory / name), sets)
    typos = _read_json(_Where(directory / "typos.json"))
    typo_where = _Where(directory / "typos.json")
    return Knowledge(
        triggers=_load_triggers(_Where(directory / "triggers.jsonl")),
        victim_types=_load_victim_types(_Where(directory / "victim_types.jsonl")),
        sets=sets,
        numbers=_load_numbers(_Where(directory / "numbers.json")),
        calendar=_load_calendar(_Where(directory / "calendar.json")),
        typo_tolerant=_entries(typo_where.at("tolerant"), typos.get("tolerant"), spaces=False),
        real_words=frozenset(_entries(typo_where.at("real_words"), typos.get("real_words"), spaces=False)),
        causes=_load_causes(_Where(directory / "causes.jsonl")),
    )


@functools.cache
def knowledge() -> Knowledge:
    """The knowledge under CONFIG_DIR, read once per process."""
    return load(CONFIG_DIR)


def _word_set(name: str, kind: str) -> WordSet:
    found = knowledge().sets.get(name)
    if found is None:
        raise KnowledgeError(f"{CONFIG_DIR}: no vocabulary named {name!r} in {', '.join(WORD_SET_FILES)}")
    if found.kind != kind:
        raise KnowledgeError(f"{CONFIG_DIR}: vocabulary {name!r} holds {found.kind}, not {kind}")
    return found


def words(name: str) -> frozenset[str]:
    """A named set of single words, for membership tests."""
    return frozenset(_word_set(name, "words").entries)


def word_list(name: str) -> tuple[str, ...]:
    """A named list of single words in the order written (for suffix tests and patterns)."""
    return _word_set(name, "words").entries


def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """A named list of phrases, each as its tuple of words, in the order written."""
    return tuple(tuple(entry.split()) for entry in _word_set(name, "phrases").entries)


def fragments(name: str) -> tuple[str, ...]:
    """A named list of text fragments, matched inside running text."""
    return _word_set(name, "fragments").entries


def mapping(name: str) -> dict[str, str]:
    """A named table of word -> word."""
    return dict(_word_set(name, "mapping").mapping)
