"""Rule cases kept as data: loading tests/cases/<area>/<family>.jsonl and matching results against expectations.

A case names only what it checks. Matching is by subset: a dict in the expectation checks only the keys it
names, a list checks every element in order (and the length), a scalar must be equal (booleans and None
exactly). A dict whose only key starts with "$" is an operator instead:
  {"$eq": value}      exact equality, no extra keys allowed
  {"$ne": value}      anything but this value
  {"$regex": pattern} a string in which re.search finds the pattern
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
COMMON_KEYS = {"id", "text", "expect", "note"}


@dataclass(frozen=True)
class RuleCase:
    family: str
    id: str
    text: str
    expect: dict
    inputs: dict = field(default_factory=dict)  # the other keys of the case (title, published_at, entities)
    where: str = ""  # file:line, for messages


def load_cases(area: str, input_keys: set[str], expect_keys: set[str], root: Path = CASES_DIR) -> list[RuleCase]:
    """Every case of tests/cases/<area>/*.jsonl, validated so that a typo fails loudly at collection."""
    files = sorted((root / area).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no case files in {root / area}")
    cases: list[RuleCase] = []
    for path in files:
        seen: set[str] = set()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.relative_to(root)}:{number}"
            row = json.loads(line)
            _validate(row, where, input_keys, expect_keys, seen)
            inputs = {key: value for key, value in row.items() if key not in COMMON_KEYS}
            cases.append(RuleCase(path.stem, row["id"], row["text"], row["expect"], inputs, where))
    return cases


def _validate(row: dict, where: str, input_keys: set[str], expect_keys: set[str], seen: set[str]) -> None:
    unknown = set(row) - COMMON_KEYS - input_keys
    if unknown or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str):
        raise ValueError(f"{where}: a case needs a string id and text; unknown keys {sorted(unknown)}")
    if row["id"] in seen:
        raise ValueError(f"{where}: duplicate case id {row['id']!r}")
    seen.add(row["id"])
    expect = row.get("expect")
    if not isinstance(expect, dict) or not expect or set(expect) - expect_keys:
        raise ValueError(f"{where}: expect must name at least one of {sorted(expect_keys)}")


def case_params(cases: Iterable[RuleCase]) -> list:
    return [pytest.param(case, id=f"{case.family}:{case.id}") for case in cases]


def mismatches(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Where actual departs from expected (empty when it matches); see the module docstring."""
    here = path or "."
    if isinstance(expected, dict) and len(expected) == 1 and next(iter(expected)).startswith("$"):
        ((operator, operand),) = expected.items()
        return _operator(operator, operand, actual, here)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{here}: expected a mapping, got {actual!r}"]
        found: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing")
            else:
                found.extend(mismatches(actual[key], value, f"{path}.{key}"))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{here}: expected {len(expected)} items, got {actual!r}"]
        return [
            problem
            for index, (item, want) in enumerate(zip(actual, expected, strict=True))
            for problem in mismatches(item, want, f"{path}[{index}]")
        ]
    if _same(actual, expected):
        return []
    return [f"{here}: expected {expected!r}, got {actual!r}"]


def _operator(operator: str, operand: Any, actual: Any, here: str) -> list[str]:
    if operator == "$eq":
        return [] if _same(actual, operand) else [f"{here}: expected exactly {operand!r}, got {actual!r}"]
    if operator == "$ne":
        return [] if not _same(actual, operand) else [f"{here}: expected anything but {operand!r}"]
    if operator == "$regex":
        if isinstance(actual, str) and re.search(operand, actual):
            return []
        return [f"{here}: expected text matching {operand!r}, got {actual!r}"]
    raise ValueError(f"unknown operator {operator}")


def _same(actual: Any, expected: Any) -> bool:
    """Equality where True is not 1 and None is only None."""
    if isinstance(expected, bool) or expected is None or isinstance(actual, bool) or actual is None:
        return actual is expected
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(_same(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
    return type(actual) is type(expected) and actual == expected


def each_included(items: list, patterns: list, what: str) -> list[str]:
    """Every pattern matches at least one item."""
    return [
        f"no {what} matches {pattern!r}"
        for pattern in patterns
        if not any(not mismatches(item, pattern) for item in items)
    ]


def none_matching(items: list, patterns: list, what: str, show: Callable[[Any], Any] = repr) -> list[str]:
    """No item matches any of the patterns."""
    return [
        f"{what} {show(item)} matches excluded {pattern!r}"
        for pattern in patterns
        for item in items
        if not mismatches(item, pattern)
    ]


def entities_at(text: str, entities: list[dict]) -> list[dict]:
    """An entity written {"label": ..., "at": "words"} is placed at the first occurrence of the words."""
    placed = []
    for entity in entities:
        if "at" in entity:
            start = text.index(entity["at"])
            rest = {key: value for key, value in entity.items() if key != "at"}
            entity = {**rest, "start": start, "end": start + len(entity["at"])}
        placed.append(entity)
    return placed
