"""Counted victim groups: "at least 12 civilians", "her two children", "a family of seven".

A count is kept only when what follows can be people: not a measure ("20 km"), a date ("25 July"),
an age ("Darrell Hawkins, 34,"), a label ("ward 1") or a street number ("4077 Union Hill Road").
"""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import (
    ARTICLES,
    AUXILIARY_GAP,
    MONTHS,
    NON_PERSON,
    PLACE_WORDS,
    POSSESSIVES,
    SINGULAR_PERSONS,
)
from streams.casualties.mention import Mention, is_word, span_text
from streams.casualties.number_kinds import kind_of_number
from streams.casualties.numbers import Count, parse_count, parse_number
from streams.casualties.text import Token
from streams.casualties.triggers import NP_STOP, TRIGGER_WORDS

_MAX_NP_WORDS = 6
_VERBS_ONLY = vocabulary("verbs_only")
_AGE_FOLLOWERS = vocabulary("age_followers")
_LABEL_NOUNS = vocabulary("label_nouns")
_COUNT_LABEL_BEFORE = vocabulary("count_label_before")
_COUNT_LABEL_AFTER = vocabulary("count_label_after")
_HEDGES = vocabulary("hedges")
_COUNTED_MEMBERS = vocabulary("counted_members")


def _noun_phrase_end(tokens: list[Token], start: int) -> int:
    """End of the victims' noun phrase after a count ("Taliban militants", "members of LaQ")."""
    j = start
    while j < len(tokens) and j - start < _MAX_NP_WORDS:
        token = tokens[j]
        if token.lower == "of" and j > start and j + 1 < len(tokens) and is_word(tokens[j + 1]):
            j += 1
            continue
        if token.lower in ("-", "/") and j > start and j + 1 < len(tokens) and is_word(tokens[j + 1]):
            j += 1
            continue
        modifier = (
            token.lower in TRIGGER_WORDS
            and token.lower not in _VERBS_ONLY
            and j + 1 < len(tokens)
            and tokens[j + 1].text.islower()
            and tokens[j + 1].lower not in NP_STOP
            and tokens[j + 1].lower not in AUXILIARY_GAP
        )  # "eight displaced people"
        if not is_word(token) or (token.lower in NP_STOP and not modifier) or token.lower in MONTHS:
            break
        j += 1
    if j > start and tokens[j - 1].lower == "of":
        j -= 1
    return j


def _looks_like_people(words: list[str]) -> bool:
    if not words:
        return True
    return not (words[0] in NON_PERSON or len(words[0]) == 1 or words[-1] in NON_PERSON)


def np_words_hint(tokens: list[Token], words: list[str], end: int) -> bool:
    """Whether a word follows the count that could head its noun phrase."""
    return end < len(tokens) and is_word(tokens[end]) and words[end] not in NP_STOP


def _names_someone(tokens: list[Token], words: list[str], k: int) -> bool:
    """Whether the token at ``k`` ends a name or a person noun ("Hawkins", "Jr.", "girl")."""
    if words[k] == "." and k >= 1:
        k -= 1  # "David Lee Hamilton Jr., 31,"
    return tokens[k].text[:1].isupper() or words[k] in SINGULAR_PERSONS


def _an_age(tokens: list[Token], words: list[str], i: int, end: int, count: Count) -> bool:
    """ "Darrell Hawkins, 34, and ...", "a girl, 15, is killed", "both 21,": ages, not counts."""
    previous = words[i - 1] if i else ""
    following = words[end] if end < len(words) else ""
    return (
        not np_words_hint(tokens, words, end)
        and (following in _AGE_FOLLOWERS or not following)
        and count.qualifier == "exact"
        and count.min <= 120
        and (
            (previous == "," and i >= 2 and _names_someone(tokens, words, i - 2))
            or (previous == "both" and following == ",")
        )
    )


def _a_label(words: list[str], i: int, end: int) -> bool:
    """A date, a label, money or a measure: "25 July", "ward 1", "$5", "5%", "10-year"."""
    previous = words[i - 1] if i else ""
    following = words[end] if end < len(words) else ""
    dated = i >= 2 and words[i - 2][:1].isdigit()  # "On 25 July five people were killed": not a date
    if (
        (previous in MONTHS and not dated)
        or following in MONTHS
        or previous in _LABEL_NOUNS
        or previous in _COUNT_LABEL_BEFORE
    ):
        return True
    return following in _COUNT_LABEL_AFTER or following.startswith("year")


def count_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """A count starting at ``i`` and the noun phrase of the people it counts."""
    parsed = parse_count(words, i)
    if parsed is None:
        return None
    count, end = parsed
    second = _second_estimate(words, end, count)
    if second is not None:  # "at least 20, and as many as 25, protesters": two estimates, the larger kept
        count, end = second
    if _an_age(tokens, words, i, end, count) or _a_label(words, i, end):
        return None
    np_end = _noun_phrase_end(tokens, end)
    if kind_of_number(tokens, words, i, end, np_end):
        return None  # a year, an age, an address, money, ...: not a count of people
    np_words = words[end:np_end]
    if not _looks_like_people(np_words):
        return None
    if any(w in PLACE_WORDS and t.text[:1].isupper() for w, t in zip(np_words, tokens[end:np_end], strict=False)):
        return None  # "4077 Union Hill Road": a street number
    if 1900 <= count.min <= 2100 and not any(w in SINGULAR_PERSONS or w.endswith("s") for w in np_words):
        return None
    victims = " ".join(t.text for t in tokens[end:np_end])
    return Mention(count, span_text(tokens, i, end), victims, i, np_end, victim_words=tuple(np_words))


def _second_estimate(words: list[str], end: int, count: Count) -> tuple[Count, int] | None:
    """ ", and as many as 25," / ", possibly 30," right after a count: a higher estimate of the
    same group, set off by commas before its noun."""
    if words[end : end + 1] != [","] or count.vague:
        return None
    k = end + 1
    while k < len(words) and k - end <= 3 and words[k] in _HEDGES:
        k += 1
    parsed = parse_count(words, k)
    if parsed is None or parsed[0].vague or parsed[0].min <= count.min or words[parsed[1] : parsed[1] + 1] != [","]:
        return None
    return parsed[0], parsed[1] + 1


def possessive_count(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """ "her two children", "his three sons": the count is the victims, not the pronoun."""
    if words[i] not in POSSESSIVES:
        return None
    counted = count_mention(tokens, words, i + 1)
    if counted is None:
        return None
    counted.start = i
    return counted


def family_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """ "a family of seven": the number counts the family's members."""
    if words[i] not in ARTICLES or words[i + 1 : i + 3] != ["family", "of"]:
        return None
    number = parse_number(words, i + 3)
    if number is None or number[2] or not 2 <= number[0] <= 50:
        return None
    end = number[1]
    if end < len(words) and (words[end] in NON_PERSON or words[end] in _COUNTED_MEMBERS):
        return None  # "a family of five children" is counted by the children
    return Mention(
        Count(number[0], number[0], "exact"),
        span_text(tokens, i, end),
        span_text(tokens, i, end),
        i,
        end,
        victim_words=tuple(words[i + 1 : end]),
    )
