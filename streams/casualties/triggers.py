"""Outcome triggers: the phrase tables of config/casualties/triggers.jsonl and how a phrase is matched.

A trigger stands after the victims ("12 people were killed") or before them ("killing 12 people");
the longest phrase that matches wins. Besides the table, two shapes are read as triggers by rule:
"<verb> to death" (killed) and "sustained (serious / fatal) injuries" (injured, or killed when fatal).
"""

from __future__ import annotations

from typing import NamedTuple

from streams.casualties.knowledge import knowledge, words
from streams.casualties.lexicon import ACTIVE_GAP, BODY_WORDS


class Trigger(NamedTuple):
    phrase: tuple[str, ...]
    outcome: str
    weak: bool


def _table(side: str) -> list[Trigger]:
    """The triggers of one side, longest first (so the first match is the longest)."""
    rows = [Trigger(row.phrase, row.outcome, row.weak) for row in knowledge().triggers if row.side == side]
    return sorted(rows, key=lambda trigger: -len(trigger.phrase))


AFTER = _table("after")
BEFORE = _table("before")
# Tables indexed by the word a match must hold at ``k`` (the first word after the victims, the last
# word before them), each list in the order of the full table so the first match is the same.
AFTER_BY_FIRST: dict[str, list[Trigger]] = {}
for _trigger in AFTER:
    AFTER_BY_FIRST.setdefault(_trigger.phrase[0], []).append(_trigger)
BEFORE_BY_LAST: dict[str, list[Trigger]] = {}
for _trigger in BEFORE:
    BEFORE_BY_LAST.setdefault(_trigger.phrase[-1], []).append(_trigger)

# Triggers that take no object: a count right after them is not their victims ("12 died" vs "killed 12").
INTRANSITIVE = frozenset(row.phrase for row in knowledge().triggers if row.intransitive)
TRIGGER_FIRST_WORDS = frozenset(AFTER_BY_FIRST)
# Words that say an outcome (an outcome word between a marker and a count ends the marker's scope).
OUTCOME_WORDS = (frozenset(AFTER_BY_FIRST) | frozenset(BEFORE_BY_LAST)) - words("not_outcome_words")
# Words that end a victims' noun phrase: function words and the first words of triggers (weak active
# verbs such as "shooting" excepted: they may modify a noun), less those a noun phrase may hold.
TRIGGER_WORDS = (
    frozenset(row.phrase[0] for row in knowledge().triggers if not (row.weak and row.side == "before"))
    - BODY_WORDS
    - words("not_trigger_words")
)
NP_STOP = words("np_stop") | TRIGGER_WORDS

_SUFFERED = words("suffered")
_WOUND_NOUNS = words("wound_nouns")
_FATAL = words("fatal")
_OBJECT_OUTCOMES = frozenset({"killed", "injured", "kidnapped"})  # outcomes whose verb takes its victims as object


def _suffered_wounds(words: list[str], k: int) -> Trigger | None:
    """ "sustained (serious / non-life threatening / fatal) injuries": injured, or killed when fatal."""
    for j in range(k + 1, min(len(words), k + 6)):
        if words[j] in _WOUND_NOUNS:
            outcome = "killed" if any(w in _FATAL for w in words[k + 1 : j]) else "injured"
            return Trigger(tuple(words[k : j + 1]), outcome, False)
        if not words[j].replace("-", "").isalpha() or words[j] in NP_STOP:
            return None
    return None


def match_after_at(words: list[str], k: int) -> Trigger | None:
    """The trigger starting at ``words[k]`` (after the victims), if any."""
    if words[k + 1 : k + 3] == ["to", "death"]:  # "tortured to death", "hacked to death"
        return Trigger(tuple(words[k : k + 3]), "killed", False)
    if k >= len(words):
        return None
    for trigger in AFTER_BY_FIRST.get(words[k], ()):
        if tuple(words[k : k + len(trigger.phrase)]) == trigger.phrase:
            return trigger
    return _suffered_wounds(words, k) if words[k] in _SUFFERED else None


def match_after(words: list[str], k: int) -> tuple[tuple[str, ...], str, bool, int] | None:
    """The trigger at ``k`` (or after "ambushed and"), preferring a death that follows with
    "and" ("abducted and killed"): (phrase, outcome, weak, index of the trigger)."""
    match = match_after_at(words, k)
    if match is None:
        if k + 2 < len(words) and words[k + 1] == "and" and words[k].isalpha():
            later = match_after_at(words, k + 2)
            return (*later, k + 2) if later else None
        return None
    after = k + len(match[0])
    if after + 1 < len(words) and words[after] == "and":
        later = match_after_at(words, after + 1)
        if later and later[1] == "killed":
            return (*later, after + 1)
    return (*match, k)


def match_before(words: list[str], k: int) -> Trigger | None:
    """The trigger ending at ``words[k]`` (before the victims), if any."""
    if k < 0 or k >= len(words):
        return None
    for trigger in BEFORE_BY_LAST.get(words[k], ()):
        start = k - len(trigger.phrase) + 1
        if start >= 0 and tuple(words[start : k + 1]) == trigger.phrase:
            return trigger
    return None


def object_positions(words: list[str]) -> set[int]:
    """Token positions right after a killing or wounding verb (past its adverbs), where a victim
    may be described loosely ("killed a prominent ally")."""
    positions = set()
    for k in range(len(words)):
        if words[k] not in BEFORE_BY_LAST:
            continue
        match = match_before(words, k)
        if match and match[1] in _OBJECT_OUTCOMES:
            j = k + 1
            while j < len(words) and words[j] in ACTIVE_GAP and (words[j] != "at" or words[j + 1 : j + 2] == ["least"]):
                j += 1
            positions.add(j)
    return positions
