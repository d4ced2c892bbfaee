"""Outcomes a counted phrase carries without a trigger: "1 military fatality", "12 lives were lost",
"the bodies of 3 men", "four were shot, one fatally", "sent 4 people to the hospital".

Each rule is a row of ``_RULES``: a test of the mention and its words, and the outcome it says.
"""

from __future__ import annotations

from collections.abc import Callable

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import AUXILIARY_GAP, BODY_HEADS, BODY_WORDS
from streams.casualties.links import Link
from streams.casualties.mention import Mention
from streams.casualties.triggers import match_after

_TOLL_HEADS = vocabulary("toll_heads")
_LIVES = vocabulary("lives")
_HOSPITAL = vocabulary("hospital")
_HOSPITAL_PREPOSITIONS = vocabulary("hospital_prepositions")
_HOSPITAL_DETERMINERS = vocabulary("hospital_determiners")
_STILL_IN = vocabulary("still_in")


def _toll_head(words: list[str], mention: Mention) -> bool:
    """ "1 military fatality", "one death", "10 civilian casualties" (casualties as coders record them)."""
    return bool(mention.victim_words[-1:]) and mention.victim_words[-1] in _TOLL_HEADS and not mention.count.vague


def _lives_lost(words: list[str], mention: Mention) -> bool:
    """ "The lives of five people were lost", "12 lives were lost": they were killed."""
    if mention.victim_words[-1:] != ("lives",) and words[max(0, mention.start - 2) : mention.start] != ["lives", "of"]:
        return False
    k = mention.end
    while k < len(words) and words[k] in AUXILIARY_GAP:
        k += 1
    return words[k : k + 1] == ["lost"]


def _remains(words: list[str], mention: Mention) -> bool:
    """ "the bodies of 12 people", "his body was found": the dead."""
    return any(w in BODY_WORDS for w in mention.victim_words) or (
        mention.lone and mention.victim_words[-1] in BODY_HEADS
    )


def _fatally(words: list[str], mention: Mention) -> bool:
    """ "four were shot, one fatally"."""
    return (
        not mention.lone
        and words[mention.end : mention.end + 1] == ["fatally"]
        and match_after(words, mention.end) is None
    )


def _in_hospital(words: list[str], mention: Mention) -> bool:
    """ "(sent / left / landed) 4 people (to / in) (the) hospital", "two men are in the hospital":
    they were injured."""
    if mention.lone:
        return False
    k = mention.end
    while k < len(words) and words[k] in _STILL_IN:
        k += 1
    if k >= len(words) or words[k] not in _HOSPITAL_PREPOSITIONS:
        return False
    k += 1
    if k < len(words) and words[k] in _HOSPITAL_DETERMINERS:
        k += 1
    return k < len(words) and words[k] in _HOSPITAL


_RULES: tuple[tuple[Callable[[list[str], Mention], bool], str], ...] = (
    (_toll_head, "killed"),
    (_lives_lost, "killed"),
    (_remains, "killed"),
    (_fatally, "killed"),
    (_in_hospital, "injured"),
)


def implicit_outcome(words: list[str], mention: Mention) -> Link | None:
    """The first rule that applies, as a link to the mention's own end."""
    for applies, outcome in _RULES:
        if applies(words, mention):
            return Link(mention, outcome, "after", mention.end)
    return None


def takes_lives(mention: Mention) -> bool:
    """ "claimed 12 lives", "has claimed 31 lives of villagers" (the head first, its people after)."""
    return any(w in _LIVES for w in mention.victim_words[:1] + mention.victim_words[-1:])
