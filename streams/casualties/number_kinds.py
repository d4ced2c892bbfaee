"""A number is a toll only when it counts people.

Web pages and reports are full of numbers that sit where a count of victims could: years and
days of dates, times, house and street numbers, emergency and phone numbers, ages, money,
percentages, ordinals, scores, calibres, case or warrant numbers, counts of things, pages and
photo numbers, scientific notation. ``kind_of_number`` names the kind of such a number from the
words around it, so the mention reader can leave it out; the words themselves are data, in
config/casualties/guards/number_kinds.json.
"""

from __future__ import annotations

import json
import re
from functools import cache

from streams.casualties.knowledge import CONFIG_DIR
from streams.casualties.lexicon import MONTHS, SINGULAR_PERSONS, WEEKDAYS
from streams.casualties.text import Token

GUARDS = CONFIG_DIR / "guards"


@cache
def _kinds() -> dict:
    with open(GUARDS / "number_kinds.json", encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        "followed_by": {kind: frozenset(words) for kind, words in data["followed_by"].items()},
        "preceded_by": {kind: frozenset(words) for kind, words in data["preceded_by"].items()},
        "age_max": data["age"]["max"],
        "age_followers": frozenset(data["age"]["after_name_followers"]),
        "age_stated": [tuple(p) for p in data["age"]["stated_by"]],
        "age_list": frozenset(data["age"]["list_words"]),
        "before_an_age": frozenset(data["age"]["before_an_age"]),
        "emergency": frozenset(data["emergency"]["numbers"]),
        "emergency_always": frozenset(data["emergency"]["always"]),
        "emergency_after": frozenset(data["emergency"]["followed_by"]),
        "emergency_before": frozenset(data["emergency"]["preceded_by"]),
        "address_before": frozenset(data["address"]["preceded_by"]),
        "address_min": data["address"]["min_before_a_name"],
        "street": frozenset(data["address"]["street_words"]),
        "score": frozenset(data["score"]["near"]),
        "things": frozenset(data["things"]["heads"]),
        "exponent": re.compile(data["scientific"]["exponent_pattern"]),
        "phone": [re.compile(p) for p in data["phone"]["token_patterns"]],
        "years": (data["date"]["year_min"], data["date"]["year_max"]),
        "calibres": frozenset(data["calibre"]["numbers"]),
        "weapons": [tuple(p) for p in data["calibre"]["weapon_words"]],
    }


_AGED = re.compile(r"^\d{1,3}-years?-olds?$")
_SCORE = re.compile(r"^\d{1,3}[-–]\d{1,3}$")
# Words before a capitalised word that make it a place or a time, not a name ("In Kabul, 12 ...").
_NOT_NAME_BEFORE = frozenset(
    "in on at near from outside of since by during after before until to into across throughout".split()
)
_PLURAL_FOLLOWERS = frozenset("were are all had has both each".split())


def _value(word: str) -> int | None:
    digits = word.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _number_at(words: list[str], start: int, end: int) -> int:
    """Index of the first token of the count that is written in digits (else its first token)."""
    return next((k for k in range(start, end) if words[k][:1].isdigit()), start)


def _people_head(words: list[str], end: int, np_end: int) -> bool:
    """Whether the counted noun phrase ends in a person noun or a plural ("911 victims")."""
    return np_end > end and (words[np_end - 1] in SINGULAR_PERSONS or words[np_end - 1].endswith("s"))


def kind_of_number(tokens: list[Token], words: list[str], start: int, end: int, np_end: int) -> str | None:
    """What the count read at tokens [start, end) (its noun phrase up to ``np_end``) is, when it
    is not a count of people: "year", "age", "address", "money", ...; None for a count."""
    kinds = _kinds()
    n = _number_at(words, start, end)
    word = words[n]
    previous = words[start - 1] if start else ""
    following = words[end] if end < len(words) else ""
    if word[:1].isdigit() and (
        any(p.match(word) for p in kinds["phone"])
        or (
            previous == "("
            and following == ")"
            and len(word) == 3
            and end + 1 < len(words)
            and any(p.match(words[end + 1]) for p in kinds["phone"])
        )
    ):
        return "phone"
    if following and kinds["exponent"].match(following):
        return "scientific notation"
    for kind, followers in kinds["followed_by"].items():
        if following in followers:
            return kind
    for kind, predecessors in kinds["preceded_by"].items():
        if previous in predecessors:
            return kind
    if (
        previous == "of"
        and start >= 3
        and words[start - 2].isdigit()
        and words[start - 3] in kinds["preceded_by"]["label"]
    ):
        return "label"  # "Image 20 of 32": a gallery's counter
    value = _value(word)
    for check in (_date_part, _emergency, _calibre, _age, _address, _score):
        kind = check(tokens, words, start, end, np_end, n, value, kinds)
        if kind:
            return kind
    if np_end > end and words[np_end - 1] in kinds["things"]:
        return "count of things"
    return None


def _date_part(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """ "January 9, 2017" (a year after a month and day), "Jan. 19" (a day after a month), a bare
    year before a capitalised word ("2016 Jeffco teen dies")."""
    if value is None:
        return None
    back = words[max(0, start - 3) : start]
    low, high = kinds["years"]
    is_year = low <= value <= high and words[n].isdigit()
    if is_year and len(back) == 3 and back[0] in MONTHS and back[1].isdigit() and back[2] == ",":
        return "year"
    if len(back) >= 2 and back[-1] == "." and back[-2] in MONTHS and value <= 31:
        return "day"
    if is_year and back[-1:] == [","] and start >= 2 and words[start - 2] in MONTHS:
        return "year"
    if (
        is_year
        and start == n
        and end == n + 1
        and (end >= len(tokens) or tokens[end].text[:1].isupper() or not tokens[end].text[:1].isalnum())
    ):
        return "year"
    return None


def _emergency(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """ "the 911 caller's father", "multiple 911 calls", "called 911"."""
    if value not in kinds["emergency"] or not words[n].isdigit():
        return None
    after = words[end] if end < len(words) else ""
    before = words[start - 1] if start else ""
    if after in kinds["emergency_after"] or before in kinds["emergency_before"]:
        return "emergency number"
    if value in kinds["emergency_always"] and start == n and not _people_head(words, end, np_end):
        return "emergency number"
    return None


def _calibre(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """ ".223" (a point glued to the number), "a single shot 223", "a rifle 308"."""
    if value not in kinds["calibres"] or start != n:
        return None
    if start and words[start - 1] == "." and tokens[start - 1].end == tokens[start].start:
        return "calibre"
    return "calibre" if any(tuple(words[start - len(p) : start]) == p for p in kinds["weapons"]) else None


def _names_someone(tokens: list[Token], words: list[str], k: int, full: bool = False) -> bool:
    """Whether the token at ``k`` ends a name or a person noun ("Hawkins", "Jr.", "girl"), not a
    place or a time ("In Kabul,", "On Friday,"); ``full``: a name of two words or more."""
    if k >= 1 and words[k] == ".":
        k -= 1  # "David Lee Hamilton Jr., 31,"
    if k < 0:
        return False
    if words[k] in SINGULAR_PERSONS:
        return not full
    first = k
    while (
        first > 0
        and tokens[first - 1].text[:1].isupper()
        and tokens[first - 1].text[:1].isalpha()
        and words[first - 1] not in _NOT_NAME_BEFORE
    ):
        first -= 1  # (a capitalised "In" opening the sentence is no part of the name)
    if not tokens[k].text[:1].isupper() or words[k] in MONTHS or words[k] in WEEKDAYS:
        return False
    if first > 0 and words[first - 1] in _NOT_NAME_BEFORE:
        return False
    return k > first or (not full and first > 0)


def _age(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """An age: set off after a name ("Cudnik, 32 were"), stated ("who was 24,"), in parentheses
    after a name ("Smith (24)"), or in a list after "ages" / "aged" ("ages 19, 21 and 22")."""
    if value is None or value > kinds["age_max"] or start != n:
        return None
    following = words[end] if end < len(words) else ""
    previous = words[start - 1] if start else ""
    if previous == "," and start >= 2 and np_end == end:
        plural = following in _PLURAL_FOLLOWERS
        if (following in kinds["age_followers"] or plural) and _names_someone(tokens, words, start - 2, plural):
            return "age"
    if (
        previous == ","
        and start >= 2
        and end < len(tokens)
        and tokens[end].text[:1].isupper()
        and tokens[end].text[:1].isalpha()
        and words[end] not in MONTHS
        and _names_someone(tokens, words, start - 2)
    ):
        return "age"  # "kills man, 18 Jose Estrada fatally wounded"
    if following in kinds["before_an_age"] and end + 1 < len(words) and _AGED.match(words[end + 1]):
        return "age"  # "a 16 and 17-year-old were shot"
    if previous == "(" and following == ")" and start >= 2 and _names_someone(tokens, words, start - 2):
        return "age"
    if following in (",", ".", ")", ";", "") and any(
        tuple(words[start - len(p) : start]) == p for p in kinds["age_stated"]
    ):
        return "age"
    k = start - 1
    while k >= 0 and start - k <= 12 and (words[k] in kinds["age_list"] or words[k][:1].isdigit()):
        k -= 1
    if 0 <= k < start - 1 and words[k] in kinds["preceded_by"].get("age", ()):
        return "age"
    return None


def _address(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """ "at 9780 Bissonnet", "on 11700 Robertson", "506 East 8th Street" (street words count only
    capitalised: "12 road workers" are people)."""
    if value is None or start != n or end >= len(tokens):
        return None
    capitalised = tokens[end].text[:1].isupper()
    if capitalised and words[end] in kinds["street"]:
        return "address"
    previous = words[start - 1] if start else ""
    if (
        previous in kinds["address_before"]
        and value >= kinds["address_min"]
        and capitalised
        and tokens[end].text[:1].isalpha()
        and not _people_head(words, end, np_end)
        and words[end] not in SINGULAR_PERSONS
    ):
        return "address"
    return None


def _score(tokens, words, start, end, np_end, n, value, kinds) -> str | None:
    """ "won 3-1", "a 21-14 victory": a score, not a range of victims."""
    if not _SCORE.match(words[n]):
        return None
    near = words[max(0, start - 3) : start] + words[end : end + 2]
    return "score" if any(w in kinds["score"] for w in near) else None
