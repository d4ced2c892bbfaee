"""Numbers as casualty reports write them: digits, number words, qualifiers and vague words.

Count conventions (they follow how event coders record tolls, so ``min`` is what gets compared):

* "at least 13", "no fewer than 13"      -> min 13, max None, qualifier ``at_least``
* "more than 20", "over 20"              -> min 20, max None, qualifier ``more_than``
* "about 20", "nearly 20", "some 20"     -> min 20, max 20,   qualifier ``about``
* "up to 20", "as many as 20"            -> min 20, max 20,   qualifier ``up_to``
* "between 20 and 30", "20-30", "2 or 3" -> min 20, max 30,   qualifier ``range``
* "sixteen", "two dozen", "1,200", "a dozen", "1.5 million" -> exact values

Vague words carry no number, so they are mapped by a fixed convention and flagged ``vague``
(max None): "a few" and "several" -> 3, "dozens" -> 12 (as ACLED codes it), "scores" -> 20,
"hundreds" -> 100, "thousands" -> 1,000, "tens of thousands" -> 10,000.

Anything above ``MAX_COUNT`` (10 million) is not a casualty count (phone numbers, money, years
glued to digits) and is rejected, so no figure can be absurd; no count is ever negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_COUNT = 10_000_000

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}

VAGUE_WORDS = {"several": 3, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000}
VAGUE_PHRASES = {("a", "few"): 3, ("tens", "of", "thousands"): 10_000, ("a", "handful", "of"): 3}

QUALIFIER_PREFIXES = [
    (("at", "least"), "at_least"), (("no", "less", "than"), "at_least"),
    (("no", "fewer", "than"), "at_least"), (("not", "less", "than"), "at_least"),
    (("a", "minimum", "of"), "at_least"),
    (("more", "than"), "more_than"), (("well", "over"), "more_than"), (("over",), "more_than"),
    (("upwards", "of"), "more_than"), (("in", "excess", "of"), "more_than"),
    (("above",), "more_than"),
    (("about",), "about"), (("around",), "about"), (("approximately",), "about"),
    (("roughly",), "about"), (("nearly",), "about"), (("almost",), "about"),
    (("some",), "about"), (("an", "estimated"), "about"), (("estimated",), "about"),
    (("close", "to"), "about"), (("approx",), "about"),
    (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("at", "most"), "up_to"),
    (("fewer", "than"), "up_to"), (("less", "than"), "up_to"),
    (("a", "total", "of"), "exact"),
]

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGIT_RANGE = re.compile(r"^(\d{1,7})[-–](\d{1,7})$")


@dataclass(frozen=True)
class Count:
    """A parsed count: the numbers a reader would record, and how sure the text is of them."""

    min: int
    max: int | None
    qualifier: str
    vague: bool = False

    def as_dict(self, text: str) -> dict:
        return {"min": self.min, "max": self.max, "qualifier": self.qualifier,
                "vague": self.vague, "text": text}


def _matches(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i:i + len(phrase)]) == phrase


def _word_number(words: list[str], i: int) -> tuple[int, int] | None:
    """Read number words ("two hundred and fifty", "twenty-one", "two dozen") from ``i``."""
    total, current, j, seen = 0, 0, i, False
    while j < len(words):
        parts = words[j].split("-")
        if all(p in UNITS or p in TENS for p in parts) and len(parts) <= 2:
            if seen and current % 100 and current % 10 == 0 and len(parts) == 1 and parts[0] in UNITS:
                current += UNITS[parts[0]]  # "twenty one"
            elif seen and current % 100:
                break
            else:
                current += sum(UNITS.get(p, 0) + TENS.get(p, 0) for p in parts)
            seen, j = True, j + 1
        elif seen and words[j] in MULTIPLIERS:
            scale = MULTIPLIERS[words[j]]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
            j += 1
        elif seen and words[j] == "dozen":
            current *= 12
            j += 1
        elif seen and words[j] == "and" and j + 1 < len(words) and (
                words[j + 1].split("-")[0] in UNITS or words[j + 1].split("-")[0] in TENS) and (total or current >= 100):
            j += 1
        else:
            break
    if not seen:
        return None
    return total + current, j


def parse_number(words: list[str], i: int) -> tuple[int, int, bool] | None:
    """The number starting at ``words[i]``: (value, index after it, vague) or None."""
    if i >= len(words):
        return None
    word = words[i]
    if _DIGITS.match(word):
        value = float(word.replace(",", ""))
        j = i + 1
        if j < len(words) and words[j] in MULTIPLIERS:
            value *= MULTIPLIERS[words[j]]
            j += 1
        if value != int(value):
            return None
        return int(value), j, False
    for phrase, value in VAGUE_PHRASES.items():
        if _matches(words, i, phrase):
            return value, i + len(phrase), True
    if word in VAGUE_WORDS:
        return VAGUE_WORDS[word], i + 1, True
    if word == "a" and i + 1 < len(words):
        if words[i + 1] == "dozen":
            return 12, i + 2, False
        if words[i + 1] in ("hundred", "thousand"):
            return MULTIPLIERS[words[i + 1]], i + 2, False
        if words[i + 1] == "couple" and i + 2 < len(words) and words[i + 2] == "of":
            return 2, i + 3, False
    if word == "half" and _matches(words, i + 1, ("a", "dozen")):
        return 6, i + 3, False
    found = _word_number(words, i)
    if found:
        return found[0], found[1], False
    return None


# Words a count can start with, besides digits and number words (the cheap test that lets
# ``parse_count`` skip the great majority of tokens).
_COUNT_FIRST_WORDS = frozenset(["between", "a", "half"] + [phrase[0] for phrase, _ in QUALIFIER_PREFIXES]
                               + [phrase[0] for phrase in VAGUE_PHRASES] + list(VAGUE_WORDS))
_NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS)


def _may_start_count(word: str) -> bool:
    if word in _COUNT_FIRST_WORDS or word[:1].isdigit():
        return True
    parts = word.split("-")
    return len(parts) <= 2 and all(p in _NUMBER_WORDS for p in parts)


def parse_count(words: list[str], i: int) -> tuple[Count, int] | None:
    """A count with its qualifier starting at ``words[i]``: (Count, index after it) or None.

    ``words`` are lower-cased tokens. Counts above ``MAX_COUNT`` are refused.
    """
    if i >= len(words) or not _may_start_count(words[i]):
        return None
    qualifier, j = "exact", i
    if _matches(words, i, ("between",)):
        low = parse_number(words, i + 1)
        if low and low[1] < len(words) and words[low[1]] == "and":
            high = parse_number(words, low[1] + 1)
            if high and high[0] >= low[0]:
                return _bounded(Count(low[0], high[0], "range", low[2] or high[2]), high[1])
        return None
    for phrase, name in QUALIFIER_PREFIXES:
        if _matches(words, i, phrase):
            qualifier, j = name, i + len(phrase)
            break
    if j < len(words):
        span = _DIGIT_RANGE.match(words[j])
        if span:
            low, high = int(span.group(1)), int(span.group(2))
            if low < high:
                return _bounded(Count(low, high, "range"), j + 1)
    number = parse_number(words, j)
    if number is None:
        return None
    value, end, vague = number
    if end + 1 < len(words) and words[end] in ("to", "or") and not vague:
        high = parse_number(words, end + 1)
        if high and not high[2] and value < high[0] <= value * 10 + 10:
            return _bounded(Count(value, high[0], "range"), high[1])
    if vague or qualifier in ("at_least", "more_than"):
        return _bounded(Count(value, None, qualifier, vague), end)
    return _bounded(Count(value, value, qualifier), end)


def _bounded(count: Count, end: int) -> tuple[Count, int] | None:
    if count.min < 0 or count.min > MAX_COUNT or (count.max is not None and count.max > MAX_COUNT):
        return None
    return count, end
