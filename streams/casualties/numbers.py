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

from streams.casualties.knowledge import NumberPhrase, knowledge

MAX_COUNT = 10_000_000

# The words and phrases are data (config/casualties/numbers.json); the reading is here.
_NUMBERS = knowledge().numbers
UNITS = _NUMBERS.units
TENS = _NUMBERS.tens
MULTIPLIERS = _NUMBERS.multipliers
QUALIFIER_PREFIXES = list(_NUMBERS.qualifiers)
ORDINALS = _NUMBERS.ordinals
ORDINAL_SUFFIXES = _NUMBERS.ordinal_suffixes
# Phrases read whole ("a few", "dozens", "half a dozen"), by their first word, in the order written.
_PHRASES_BY_FIRST: dict[str, list[NumberPhrase]] = {}
for _entry in _NUMBERS.phrases:
    _PHRASES_BY_FIRST.setdefault(_entry.phrase[0], []).append(_entry)
VAGUE_WORDS = {entry.phrase[0]: entry.value for entry in _NUMBERS.phrases if entry.vague and len(entry.phrase) == 1}
# Words that may be, or start, a count ("two", "several", "a dozen"): used to bound noun phrases.
COUNT_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(VAGUE_WORDS)
_RANGE_WORDS = _NUMBERS.range_words
_OPEN_ENDED = frozenset({"at_least", "more_than"})  # qualifiers that leave the maximum open

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
        return {"min": self.min, "max": self.max, "qualifier": self.qualifier, "vague": self.vague, "text": text}


def _matches(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


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
        elif (
            seen
            and words[j] == "and"
            and j + 1 < len(words)
            and (words[j + 1].split("-")[0] in UNITS or words[j + 1].split("-")[0] in TENS)
            and (total or current >= 100)
        ):
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
    for entry in _PHRASES_BY_FIRST.get(word, ()):
        if _matches(words, i, entry.phrase):
            return entry.value, i + len(entry.phrase), entry.vague
    found = _word_number(words, i)
    if found:
        return found[0], found[1], False
    return None


# Words a count can start with, besides digits and number words (the cheap test that lets
# ``parse_count`` skip the great majority of tokens).
_COUNT_FIRST_WORDS = frozenset(["between"] + [phrase[0] for phrase, _ in QUALIFIER_PREFIXES] + list(_PHRASES_BY_FIRST))
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
            first, last = int(span.group(1)), int(span.group(2))
            if first < last:
                return _bounded(Count(first, last, "range"), j + 1)
    number = parse_number(words, j)
    if number is None:
        return None
    value, end, vague = number
    if end + 1 < len(words) and words[end] in _RANGE_WORDS and not vague:
        high = parse_number(words, end + 1)
        if high and not high[2] and value < high[0] <= value * 10 + 10:
            return _bounded(Count(value, high[0], "range"), high[1])
    if vague or qualifier in _OPEN_ENDED:
        return _bounded(Count(value, None, qualifier, vague), end)
    return _bounded(Count(value, value, qualifier), end)


def _bounded(count: Count, end: int) -> tuple[Count, int] | None:
    if count.min < 0 or count.min > MAX_COUNT or (count.max is not None and count.max > MAX_COUNT):
        return None
    return count, end
