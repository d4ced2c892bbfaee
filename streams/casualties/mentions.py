"""Victim mentions inside one sentence: counted groups ("at least 12 civilians") and lone
victims ("a village chief", "Anselme Mutuyimana", "he").

A mention is only a candidate; ``extract`` keeps it when an outcome trigger governs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.casualties.lexicon import (AUXILIARY_GAP, BODY_WORDS, MONTHS, NON_PERSON, OUTCOME_AFTER, OUTCOME_BEFORE, PRONOUNS,
                      SINGULAR_PERSONS, WEAK_INJURY_AFTER)
from streams.casualties.numbers import TENS, UNITS, Count, parse_count, parse_number
from streams.casualties.text import Token

_TRIGGER_WORDS = (frozenset(
    phrase[0] for table in (OUTCOME_AFTER, OUTCOME_BEFORE) for phrases in table.values()
    for phrase in phrases) | {phrase[0] for phrase in WEAK_INJURY_AFTER}) - BODY_WORDS - {"death", "fatal", "with"}
NP_STOP = frozenset(
    "in on at by from during after before when while as near across inside outside into with "
    "for to and or but who whom which that than since over under amid were was have has had "
    "been being are is be got reportedly also allegedly later all both each reported believed "
    "confirmed feared said says thought may might could would will including among the a an "
    "this these those their his her its there here not no because if where whose yesterday "
    "today tonight so following along per via they we it he she you i".split()) | _TRIGGER_WORDS
_DETERMINERS = frozenset("a an the his her their its one another".split())
_PERSONISH_SUFFIXES = ("ers", "ists", "ians", "men", "ees", "ants", "ents", "ites", "ors", "is",
                       "ans", "ese")
_MAX_NP_WORDS = 6
# Trigger words that are never adjectives inside a noun phrase ("pedestrians sustained fatal ...").
_VERBS_ONLY = frozenset("sustained suffered lost succumbed".split())
_AGED = re.compile(r"^\d{1,3}-year-old$")


@dataclass
class Mention:
    """A group of victims as written, with the token span [start, end) it covers."""

    count: Count
    count_text: str
    victims: str
    start: int
    end: int
    lone: bool = False
    victim_words: tuple[str, ...] = ()


def _is_word(token: Token) -> bool:
    return token.text[0].isalpha()


def _noun_phrase_end(tokens: list[Token], start: int) -> int:
    """End of the victims' noun phrase after a count ("Taliban militants", "members of LaQ")."""
    j = start
    while j < len(tokens) and j - start < _MAX_NP_WORDS:
        token = tokens[j]
        if token.lower == "of" and j > start and j + 1 < len(tokens) and _is_word(tokens[j + 1]):
            j += 1
            continue
        if token.lower in ("-", "/") and j > start and j + 1 < len(tokens) and _is_word(tokens[j + 1]):
            j += 1
            continue
        modifier = (token.lower in _TRIGGER_WORDS and token.lower not in _VERBS_ONLY
                    and j + 1 < len(tokens) and tokens[j + 1].text.islower()
                    and tokens[j + 1].lower not in NP_STOP and tokens[j + 1].lower not in AUXILIARY_GAP)  # "eight displaced people"
        if not _is_word(token) or (token.lower in NP_STOP and not modifier) or token.lower in MONTHS:
            break
        j += 1
    if j > start and tokens[j - 1].lower == "of":
        j -= 1
    return j


def _looks_like_people(words: list[str]) -> bool:
    if not words:
        return True
    if words[0] in NON_PERSON or len(words[0]) == 1 or words[-1] in NON_PERSON:
        return False
    return True


_HEADLINE_OPENERS = frozenset([",", ";", ":", "-", "–", "|", "of", "and"])
_AGE_FOLLOWERS = frozenset([",", "and", "who", ")", ";", ".", "of", "from", "was", "is", ""])
# Words that make a capitalised name a place or an organisation, not a person.
PLACE_WORDS = frozenset(
    "street st avenue ave road rd boulevard blvd drive lane ln highway hwy freeway parkway way "
    "court ct place circle county park city state province district village town square center "
    "centre hospital school church mosque station department office university college mall "
    "apartments market bridge river lake island valley heights hills news tv radio".split())
# Nouns a number labels rather than counts: "ward 1", "sector 4", "phase 2".
_LABEL_NOUNS = frozenset("ward zone phase sector block unit section plot gate chapter article level stage "
                         "grade division precinct district region lane street avenue road highway".split())
_LOCATIVES = frozenset("in at near on from of to into outside inside across off along".split())


def np_words_hint(tokens: list[Token], words: list[str], end: int) -> bool:
    """Whether a word follows the count that could head its noun phrase."""
    return end < len(tokens) and _is_word(tokens[end]) and words[end] not in NP_STOP


def _names_someone(tokens: list[Token], words: list[str], k: int) -> bool:
    """Whether the token at ``k`` ends a name or a person noun ("Hawkins", "Jr.", "girl")."""
    if words[k] == "." and k >= 1:
        k -= 1  # "David Lee Hamilton Jr., 31,"
    return tokens[k].text[:1].isupper() or words[k] in SINGULAR_PERSONS


def _count_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    parsed = parse_count(words, i)
    if parsed is None:
        return None
    count, end = parsed
    second = _second_estimate(words, end, count)
    if second is not None:  # "at least 20, and as many as 25, protesters": two estimates, the larger kept
        count, end = second
    previous = words[i - 1] if i else ""
    following = words[end] if end < len(words) else ""
    if not np_words_hint(tokens, words, end) and following in _AGE_FOLLOWERS and count.qualifier == "exact" \
            and count.min <= 120 and ((previous == "," and i >= 2 and _names_someone(tokens, words, i - 2))
                                      or (previous == "both" and following == ",")):
        return None  # "Darrell Hawkins, 34, and ...", "a girl, 15, is killed", "both 21,": ages, not counts
    dated = i >= 2 and words[i - 2][:1].isdigit()  # "On 25 July five people were killed": not a date
    if (previous in MONTHS and not dated) or following in MONTHS or previous in _LABEL_NOUNS \
            or previous in ("$", "#", "no", "number", "aged",
                                                                  "age", "ages", "route", "page",
                                                                  "flight", "room", "£", "€"):
        return None
    if following in ("%", ":", "-", "/", "$") or following.startswith("year"):
        return None
    np_end = _noun_phrase_end(tokens, end)
    np_words = words[end:np_end]
    if not _looks_like_people(np_words):
        return None
    if any(w in PLACE_WORDS and t.text[:1].isupper() for w, t in zip(np_words, tokens[end:np_end])):
        return None  # "4077 Union Hill Road": a street number
    if 1900 <= count.min <= 2100 and not any(w in SINGULAR_PERSONS or w.endswith("s") for w in np_words):
        return None
    victims = " ".join(t.text for t in tokens[end:np_end])
    return Mention(count, _span_text(tokens, i, end), victims, i, np_end, victim_words=tuple(np_words))


_HEDGES = frozenset("and or but possibly perhaps maybe probably".split())


def _second_estimate(words: list[str], end: int, count: Count) -> tuple[Count, int] | None:
    """", and as many as 25," / ", possibly 30," right after a count: a higher estimate of the
    same group, set off by commas before its noun."""
    if words[end:end + 1] != [","] or count.vague:
        return None
    k = end + 1
    while k < len(words) and k - end <= 3 and words[k] in _HEDGES:
        k += 1
    parsed = parse_count(words, k)
    if parsed is None or parsed[0].vague or parsed[0].min <= count.min or words[parsed[1]:parsed[1] + 1] != [","]:
        return None
    return parsed[0], parsed[1] + 1


def _possessive_count(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """"her two children", "his three sons": the count is the victims, not the pronoun."""
    if words[i] not in _POSSESSIVES:
        return None
    counted = _count_mention(tokens, words, i + 1)
    if counted is None:
        return None
    counted.start = i
    return counted


def _span_text(tokens: list[Token], start: int, end: int) -> str:
    return " ".join(t.text for t in tokens[start:end])


def _object_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """The object of a killing verb, read loosely: "killed a prominent ally", "shot dead
    prominent writer Nahed Hattar". Bare plurals ("killed Taliban fighters") carry no count."""
    j = i
    while j < len(tokens) and j - i < 6 and _is_word(tokens[j]) and (
            words[j] not in NP_STOP or (j == i and words[j] in _DETERMINERS)):
        j += 1
    if j == i or words[j - 1] in NON_PERSON:
        return None
    determined = words[i] in _DETERMINERS and j - i >= 2
    named = sum(1 for t in tokens[i:j] if t.text[:1].isupper()) >= 2 and not words[j - 1].endswith("s")
    # headline style, no article: "gunmen kill prominent tribal elder", "for killing local journalist"
    bare_singular = j - i >= 2 and words[j - 1] in SINGULAR_PERSONS \
        and all(t.text.islower() for t in tokens[i + 1:j])  # (or "Palestinian engineer")
    if not (determined or named or bare_singular) or (determined and words[j - 1].endswith("s") and words[j - 1] not in SINGULAR_PERSONS):
        return None
    text = _span_text(tokens, i, j)
    return Mention(Count(1, 1, "exact"), text, text, i, j, True, tuple(words[i:j]))


def _place_apposition(tokens: list[Token], words: list[str], i: int) -> bool:
    """"in Trindade, Pernambuco, two men were killed": a name after "in <Place>," names the
    place's region, not a victim."""
    k = i - 2
    if k < 1 or words[i - 1] != "," or not tokens[i].text[:1].isupper():
        return False
    while k > 0 and tokens[k].text[:1].isupper() and _is_word(tokens[k]):
        k -= 1
    return k < i - 2 and words[k] in _PLACE_PREPOSITIONS


_PLACE_PREPOSITIONS = frozenset("in at near outside from".split())
# "charged with injuring another by careless handling": the words of a charge, not a new victim.
_CHARGES = frozenset("charged charges charge counts count accused convicted guilty".split())


def _lone_mention(tokens: list[Token], words: list[str], i: int, person_starts: dict[int, int],
                  headline: bool = False, names: bool = True) -> Mention | None:
    """One victim: a determiner phrase headed by a person noun, a pronoun, or a person's name."""
    one = Count(1, 1, "exact")
    if _place_apposition(tokens, words, i):
        return None
    if i in person_starts:
        end = person_starts[i]
        return Mention(one, _span_text(tokens, i, end), _span_text(tokens, i, end), i, end, True,
                       tuple(words[i:end]))
    word = words[i]
    if _AGED.match(word) or (headline and word in SINGULAR_PERSONS and (i == 0 or words[i - 1] in _HEADLINE_OPENERS)):
        end = i + 1  # "10-year-old boy shoots self", headline "Man shot on Main Street"
        while end < len(tokens) and end - i < 3 and words[end] in SINGULAR_PERSONS:
            end += 1
        while end < len(tokens) and end - i < 6 and tokens[end].text[:1].isupper() and _is_word(tokens[end]) \
                and words[end] not in NP_STOP and words[end] not in MONTHS:
            end += 1  # "17-year-old Daniel Diaz-Marrero": one person
        return Mention(one, _span_text(tokens, i, end), _span_text(tokens, i, end), i, end, True,
                       tuple(words[i:end]))
    determined = _determined_mention(tokens, words, i) if word in _DETERMINERS else None
    if determined is not None:  # "her driver" before "her" alone
        return determined
    if word in PRONOUNS:
        return Mention(one, tokens[i].text, tokens[i].text, i, i + 1, True, (word,))
    if word == "another" and (i == 0 or words[i - 1] not in ("one", "to", "after")) \
            and not any(w in _CHARGES for w in words[max(0, i - 8):i]) and (
            i + 1 >= len(words) or (not _is_word(tokens[i + 1]) and not words[i + 1][:1].isdigit())
            or (words[i + 1] in NP_STOP and parse_count(words, i + 1) is None)):
        # "a teacher was killed and another wounded", "killing one and wounding another"
        return Mention(one, tokens[i].text, tokens[i].text, i, i + 1, True, (word,))
    if tokens[i].text[:1].isupper() and _is_word(tokens[i]) and words[i] not in NP_STOP:
        j = i
        while j < len(tokens) and j - i < 4 and _is_word(tokens[j]) and tokens[j].text[:1].isupper() \
                and words[j] not in NP_STOP and words[j] not in MONTHS:
            j += 1
        if not names:  # Title Case headline: a name opens it ("Tacarra Morgan, 6, Shot"), else up
            head = next((k for k in range(i, j) if words[k] in SINGULAR_PERSONS), None)  # to a person noun
            j = head + 1 if head is not None else (j if i == 0 else i)  # ("Cloquet Man Found Dead")
        if j - i >= 2 and not any(w in PLACE_WORDS for w in words[i:j]) \
                and not (i and words[i - 1] in _LOCATIVES):
            return Mention(one, _span_text(tokens, i, j), _span_text(tokens, i, j), i, j, True,
                           tuple(words[i:j]), )
    return None


# A dead person's body handled or found: "his body was found", "a charred body found in the river".
BODY_HEADS = frozenset(["body", "corpse"])
_BODY_VERBS = frozenset("found discovered recovered retrieved dumped dug exhumed pulled washed lying lay "
                        "identified taken abandoned left".split())
_BODY_VERB_GAP = frozenset("was were had has been is later also reportedly then already".split())
_NOT_BODY_OBJECTS = frozenset("that it no guilty evidence a an the him her them his their its".split())


def _body_found(words: list[str], head: int, loose: bool) -> bool:
    """Whether a verb of finding follows; without an auxiliary only after a possessive or an
    adjective (\"his body found\", \"a charred body found\"), as headlines write it."""
    k, aux = head + 1, False
    while k < len(words) and words[k] in _BODY_VERB_GAP:
        aux, k = True, k + 1
    if k >= len(words) or words[k] not in _BODY_VERBS:
        return False
    if k + 1 < len(words) and words[k + 1] in _NOT_BODY_OBJECTS:
        return False  # "the governing body found that ...": an institution
    return aux or loose


def _determined_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """A determiner phrase headed by a person noun ("a village chief", "her driver"), a couple
    ("an activist couple": two people) or a body found ("his body was found": one dead)."""
    j, head = i + 1, None
    while j < len(tokens) and j - i <= 4 and (_is_word(tokens[j]) or "-" in tokens[j].text):
        if words[j] == "couple" and words[j + 1:j + 2] != ["of"]:
            head = j  # "an activist couple"
            break
        if words[j] in SINGULAR_PERSONS or (_AGED.match(words[j]) and head is None and (
                j + 1 >= len(words) or words[j + 1] not in SINGULAR_PERSONS)):
            head = j  # "an 8-year-old" (a person), "an 8-year-old boy" (the noun heads)
        elif head is None and words[j] in BODY_HEADS and _body_found(words, j, words[i] in _POSSESSIVES or j > i + 1):
            head = j
            break
        elif (words[j] in NP_STOP or words[j] == "of") and head is None:
            break  # "the death of another medic": the head is not a person
        elif head is not None:
            break
        j += 1
    if head is None and i + 1 < j < len(words) - 2 and words[j] == "and" and words[j + 1] in _COUNTS_OF_OTHERS \
            and ("others" in words[j + 2:j + 4] or "other" in words[j + 2:j + 4]) \
            and all(_is_word(t) for t in tokens[i + 1:j]) and not (i and words[i - 1] in _LOCATIVES | {"by", "with", "for"}):
        head = j - 1  # "a community head and 15 others": one victim, whatever the noun
    if head is None:
        return None
    end = head + 1
    if end + 1 < len(tokens) and words[end] == "of" and tokens[end + 1].text[:1].isupper():
        end += 1
        while end < len(tokens) and tokens[end].text[:1].isupper() and _is_word(tokens[end]):
            end += 1
    count = Count(2, 2, "exact") if words[head] == "couple" else Count(1, 1, "exact")
    return Mention(count, _span_text(tokens, i, end), _span_text(tokens, i, end), i, end, True,
                   tuple(words[i:end]))


_POSSESSIVES = frozenset("his her their its".split())
_COUNTS_OF_OTHERS = frozenset(UNITS) | frozenset(TENS) | frozenset(str(n) for n in range(2, 1000))


def _family_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """"a family of seven": the number counts the family's members."""
    if words[i] not in ("a", "an", "the") or words[i + 1:i + 3] != ["family", "of"]:
        return None
    number = parse_number(words, i + 3)
    if number is None or number[2] or not 2 <= number[0] <= 50:
        return None
    end = number[1]
    if end < len(words) and (words[end] in NON_PERSON or words[end] in ("children", "kids")):
        return None  # "a family of five children" is counted by the children
    return Mention(Count(number[0], number[0], "exact"), _span_text(tokens, i, end),
                   _span_text(tokens, i, end), i, end, victim_words=tuple(words[i + 1:end]))


def _title_case(tokens: list[Token]) -> bool:
    alphabetic = [t.text for t in tokens if t.text[:1].isalpha() and len(t.text) > 3]
    return len(alphabetic) >= 3 and sum(1 for w in alphabetic if w[0].isupper()) >= 0.8 * len(alphabetic)


def find_mentions(tokens: list[Token], person_starts: dict[int, int], objects: set[int],
                  headline: bool = False) -> list[Mention]:
    """All candidate victim mentions, left to right, not overlapping; ``objects`` are token
    positions right after a killing verb, where a victim may be described loosely."""
    words = [t.lower for t in tokens]
    # In a Title Case headline every word is capitalised: capitals there do not make a name
    # ("Teen Accidentally Shot Himself, Gun Recovered In Knoxville").
    names = not (headline and _title_case(tokens))
    mentions, i = [], 0
    while i < len(tokens):
        mention = _family_mention(tokens, words, i) or _possessive_count(tokens, words, i) \
            or _count_mention(tokens, words, i) or _lone_mention(tokens, words, i, person_starts, headline, names) \
            or (_object_mention(tokens, words, i) if i in objects else None)
        if mention:
            mentions.append(mention)
            i = max(mention.end, i + 1)
        else:
            i += 1
    return mentions


def person_like(words: tuple[str, ...]) -> bool:
    """Whether a counted phrase plausibly names people (used for weak, trigger-less links)."""
    return not words or any(w.endswith(_PERSONISH_SUFFIXES) or w in SINGULAR_PERSONS
                            or w in ("people", "others", "more", "persons") for w in words)
