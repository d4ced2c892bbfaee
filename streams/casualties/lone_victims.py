"""Lone victims, one person each: "a village chief", "her driver", "he", "Anselme Mutuyimana",
"an activist couple" (two), "his body was found" (one dead), "killed a prominent ally"."""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import (
    BODY_HEADS,
    LOCATIVES,
    MONTHS,
    NON_PERSON,
    PLACE_WORDS,
    POSSESSIVES,
    PRONOUNS,
    SINGULAR_PERSONS,
)
from streams.casualties.mention import AGED, Mention, is_word, lone_mention
from streams.casualties.numbers import TENS, UNITS, Count, parse_count
from streams.casualties.text import Token
from streams.casualties.triggers import NP_STOP

_DETERMINERS = vocabulary("determiners")
_HEADLINE_OPENERS = vocabulary("headline_openers")
_PLACE_PREPOSITIONS = vocabulary("place_prepositions")
_CHARGES = vocabulary("charges")
_ANOTHER_NOT_AFTER = vocabulary("another_not_victim_after")
_BODY_VERBS = vocabulary("body_verbs")
_BODY_VERB_GAP = vocabulary("body_verb_gap")
_NOT_BODY_OBJECTS = vocabulary("not_body_objects")
_COUNTS_OF_OTHERS = frozenset(UNITS) | frozenset(TENS) | frozenset(str(n) for n in range(2, 1000))
_BEFORE_A_LISTED_HEAD = LOCATIVES | frozenset({"by", "with", "for"})


def object_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """The object of a killing verb, read loosely: "killed a prominent ally", "shot dead
    prominent writer Nahed Hattar". Bare plurals ("killed Taliban fighters") carry no count."""
    j = i
    while (
        j < len(tokens)
        and j - i < 6
        and is_word(tokens[j])
        and (words[j] not in NP_STOP or (j == i and words[j] in _DETERMINERS))
    ):
        j += 1
    if j == i or words[j - 1] in NON_PERSON:
        return None
    determined = words[i] in _DETERMINERS and j - i >= 2
    named = sum(1 for t in tokens[i:j] if t.text[:1].isupper()) >= 2 and not words[j - 1].endswith("s")
    # headline style, no article: "gunmen kill prominent tribal elder", "for killing local journalist"
    bare_singular = (
        j - i >= 2 and words[j - 1] in SINGULAR_PERSONS and all(t.text.islower() for t in tokens[i + 1 : j])
    )  # (or "Palestinian engineer")
    if not (determined or named or bare_singular) or (
        determined and words[j - 1].endswith("s") and words[j - 1] not in SINGULAR_PERSONS
    ):
        return None
    return lone_mention(tokens, words, i, j)


def _place_apposition(tokens: list[Token], words: list[str], i: int) -> bool:
    """ "in Trindade, Pernambuco, two men were killed": a name after "in <Place>," names the
    place's region, not a victim."""
    k = i - 2
    if k < 1 or words[i - 1] != "," or not tokens[i].text[:1].isupper():
        return False
    while k > 0 and tokens[k].text[:1].isupper() and is_word(tokens[k]):
        k -= 1
    return k < i - 2 and words[k] in _PLACE_PREPOSITIONS


def lone_victim(
    tokens: list[Token],
    words: list[str],
    i: int,
    person_starts: dict[int, int],
    headline: bool = False,
    names: bool = True,
) -> Mention | None:
    """One victim: a determiner phrase headed by a person noun, a pronoun, or a person's name."""
    if _place_apposition(tokens, words, i):
        return None
    if i in person_starts:
        return lone_mention(tokens, words, i, person_starts[i])
    word = words[i]
    if AGED.match(word) or (headline and word in SINGULAR_PERSONS and (i == 0 or words[i - 1] in _HEADLINE_OPENERS)):
        return lone_mention(tokens, words, i, _described_person_end(tokens, words, i))
    determined = determined_mention(tokens, words, i) if word in _DETERMINERS else None
    if determined is not None:  # "her driver" before "her" alone
        return determined
    if word in PRONOUNS or (word == "another" and _another_victim(tokens, words, i)):
        return lone_mention(tokens, words, i, i + 1)
    if tokens[i].text[:1].isupper() and is_word(tokens[i]) and words[i] not in NP_STOP:
        return _named_victim(tokens, words, i, names)
    return None


def _described_person_end(tokens: list[Token], words: list[str], i: int) -> int:
    """ "10-year-old boy shoots self", headline "Man shot on Main Street", "17-year-old Daniel
    Diaz-Marrero": one person, with the person nouns and the name that follow."""
    end = i + 1
    while end < len(tokens) and end - i < 3 and words[end] in SINGULAR_PERSONS:
        end += 1
    while (
        end < len(tokens)
        and end - i < 6
        and tokens[end].text[:1].isupper()
        and is_word(tokens[end])
        and words[end] not in NP_STOP
        and words[end] not in MONTHS
    ):
        end += 1
    return end


def _another_victim(tokens: list[Token], words: list[str], i: int) -> bool:
    """ "a teacher was killed and another wounded", "killing one and wounding another" (not "one
    another", nor the "another" of a charge)."""
    return (
        (i == 0 or words[i - 1] not in _ANOTHER_NOT_AFTER)
        and not any(w in _CHARGES for w in words[max(0, i - 8) : i])
        and (
            i + 1 >= len(words)
            or (not is_word(tokens[i + 1]) and not words[i + 1][:1].isdigit())
            or (words[i + 1] in NP_STOP and parse_count(words, i + 1) is None)
        )
    )


def _named_victim(tokens: list[Token], words: list[str], i: int, names: bool) -> Mention | None:
    """A capitalised name of two words or more, not a place's."""
    j = i
    while (
        j < len(tokens)
        and j - i < 4
        and is_word(tokens[j])
        and tokens[j].text[:1].isupper()
        and words[j] not in NP_STOP
        and words[j] not in MONTHS
    ):
        j += 1
    if not names:  # Title Case headline: a name opens it ("Tacarra Morgan, 6, Shot"), else up
        head = next((k for k in range(i, j) if words[k] in SINGULAR_PERSONS), None)  # to a person noun
        j = head + 1 if head is not None else (j if i == 0 else i)  # ("Cloquet Man Found Dead")
    if j - i >= 2 and not any(w in PLACE_WORDS for w in words[i:j]) and not (i and words[i - 1] in LOCATIVES):
        return lone_mention(tokens, words, i, j)
    return None


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


def determined_mention(tokens: list[Token], words: list[str], i: int) -> Mention | None:
    """A determiner phrase headed by a person noun ("a village chief", "her driver"), a couple
    ("an activist couple": two people) or a body found ("his body was found": one dead)."""
    j, head = i + 1, None
    while j < len(tokens) and j - i <= 4 and (is_word(tokens[j]) or "-" in tokens[j].text):
        if words[j] == "couple" and words[j + 1 : j + 2] != ["of"]:
            head = j  # "an activist couple"
            break
        if words[j] in SINGULAR_PERSONS or (
            AGED.match(words[j]) and head is None and (j + 1 >= len(words) or words[j + 1] not in SINGULAR_PERSONS)
        ):
            head = j  # "an 8-year-old" (a person), "an 8-year-old boy" (the noun heads)
        elif head is None and words[j] in BODY_HEADS and _body_found(words, j, words[i] in POSSESSIVES or j > i + 1):
            head = j
            break
        elif (words[j] in NP_STOP or words[j] == "of") and head is None:
            break  # "the death of another medic": the head is not a person
        elif head is not None:
            break
        j += 1
    if (
        head is None
        and i + 1 < j < len(words) - 2
        and words[j] == "and"
        and words[j + 1] in _COUNTS_OF_OTHERS
        and ("others" in words[j + 2 : j + 4] or "other" in words[j + 2 : j + 4])
        and all(is_word(t) for t in tokens[i + 1 : j])
        and not (i and words[i - 1] in _BEFORE_A_LISTED_HEAD)
    ):
        head = j - 1  # "a community head and 15 others": one victim, whatever the noun
    if head is None:
        return None
    end = head + 1
    if end + 1 < len(tokens) and words[end] == "of" and tokens[end + 1].text[:1].isupper():
        end += 1
        while end < len(tokens) and tokens[end].text[:1].isupper() and is_word(tokens[end]):
            end += 1
    count = Count(2, 2, "exact") if words[head] == "couple" else Count(1, 1, "exact")
    return lone_mention(tokens, words, i, end, count)


def title_case(tokens: list[Token]) -> bool:
    """Whether a headline capitalises (nearly) every word, so that capitals make no name."""
    alphabetic = [t.text for t in tokens if t.text[:1].isalpha() and len(t.text) > 3]
    return len(alphabetic) >= 3 and sum(1 for w in alphabetic if w[0].isupper()) >= 0.8 * len(alphabetic)
