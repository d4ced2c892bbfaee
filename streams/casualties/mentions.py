"""Victim mentions inside one sentence: counted groups ("at least 12 civilians") and lone
victims ("a village chief", "Anselme Mutuyimana", "he").

A mention is only a candidate; the linking rules keep it when an outcome trigger governs it.
"""

from __future__ import annotations

from streams.casualties.counted import count_mention, family_mention, possessive_count
from streams.casualties.knowledge import word_list
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import BODY_HEADS, SINGULAR_PERSONS
from streams.casualties.lone_victims import lone_victim, object_mention, title_case
from streams.casualties.mention import Mention
from streams.casualties.text import Token
from streams.casualties.triggers import NP_STOP

__all__ = ["BODY_HEADS", "NP_STOP", "Mention", "find_mentions", "person_like"]

_PERSON_SUFFIXES = word_list("person_suffixes")
_PEOPLE_WORDS = vocabulary("people_words")


def find_mentions(
    tokens: list[Token], person_starts: dict[int, int], objects: set[int], headline: bool = False
) -> list[Mention]:
    """All candidate victim mentions, left to right, not overlapping; ``objects`` are token
    positions right after a killing verb, where a victim may be described loosely."""
    words = [t.lower for t in tokens]
    # In a Title Case headline every word is capitalised: capitals there do not make a name
    # ("Teen Accidentally Shot Himself, Gun Recovered In Knoxville").
    names = not (headline and title_case(tokens))
    mentions, i = [], 0
    while i < len(tokens):
        mention = (
            family_mention(tokens, words, i)
            or possessive_count(tokens, words, i)
            or count_mention(tokens, words, i)
            or lone_victim(tokens, words, i, person_starts, headline, names)
            or (object_mention(tokens, words, i) if i in objects else None)
        )
        if mention:
            mentions.append(mention)
            i = max(mention.end, i + 1)
        else:
            i += 1
    return mentions


def person_like(words: tuple[str, ...]) -> bool:
    """Whether a counted phrase plausibly names people (used for weak, trigger-less links)."""
    return not words or any(w.endswith(_PERSON_SUFFIXES) or w in SINGULAR_PERSONS or w in _PEOPLE_WORDS for w in words)
