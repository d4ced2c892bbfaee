"""What may stand between victims and their trigger: an apposition (", including 10 foreigners,",
"-- mostly women --", "(beheaded)"), a qualifying tail ("of the extended family", "on the Indian side
of the LoC") or an uncounted conjunct ("40 foreigners and Afghans were killed")."""

from __future__ import annotations

from streams.casualties.knowledge import mapping
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import ARTICLES, AUXILIARY_GAP, CLAUSE_STOPS, CLAUSE_WORDS, VERB_AUX
from streams.casualties.mention import Mention
from streams.casualties.numbers import COUNT_WORDS
from streams.casualties.triggers import NP_STOP, OUTCOME_WORDS, TRIGGER_FIRST_WORDS, match_after

_TAIL_OPENERS = vocabulary("tail_openers")
_TAIL_STOPS = vocabulary("tail_stops")
_APPOSITION_MARKERS = vocabulary("apposition_markers")
_APPOSITION_BRACKETS = mapping("apposition_brackets")
_APPOSITION_CLOSERS = vocabulary("apposition_closers")
_CLAUSE_OPENERS = vocabulary("clause_openers")
_RELATIVE_PRONOUNS = vocabulary("relative_pronouns")


def _starts_verb(word: str) -> bool:
    return word in VERB_AUX or word in TRIGGER_FIRST_WORDS


def skip_apposition(words: list[str], k: int, lone: bool = False) -> int:
    """Index after an apposition or a qualifying tail that starts at ``k``, else k."""
    if k < len(words) and (words[k] in _TAIL_OPENERS or (words[k] == "with" and match_after(words, k) is None)):
        return _past_qualifying_tail(words, k)
    if k + 1 < len(words) and words[k] == "," and words[k + 1] in AUXILIARY_GAP:
        return _past_gap_apposition(words, k)
    if k >= len(words) or words[k] not in _APPOSITION_BRACKETS:
        return k
    return _past_bracketed(words, k, lone)


def _past_qualifying_tail(words: list[str], k: int) -> int:
    """ "of the extended family (were killed)": up to the verb, unless another group or clause starts."""
    for j in range(k + 1, min(len(words), k + 13)):
        if _starts_verb(words[j]) and words[j - 1] not in ARTICLES:
            return j  # (not "in a displaced persons camp": an adjective there)
        if words[j] == "," and words[j + 1 : j + 2] == ["including"]:
            after = skip_apposition(words, j)  # "16 members of the imam's family, including
            if j < after < len(words) and _starts_verb(words[after]):  # four children, were killed"
                return after
        if (
            words[j] in _TAIL_STOPS
            or words[j][:1].isdigit()
            or (words[k] == "with" and words[j] in COUNT_WORDS)
            or (words[j] == "," and words[j + 1 : j + 2] == ["and"])
            or (
                words[j] == "and"
                and words[j + 1 : j + 2]
                and words[j + 1] in COUNT_WORDS
                and words[k] not in _APPOSITION_MARKERS
            )
        ):
            break  # another group or clause starts: the trigger is not this mention's
    return k


def _past_gap_apposition(words: list[str], k: int) -> int:
    """ ", reportedly killed" skips the comma; ", both members of the tribe ...," the apposition."""
    if words[k + 1] in _APPOSITION_MARKERS:
        closing = next((j for j in range(k + 2, min(len(words), k + 30)) if words[j] in _APPOSITION_CLOSERS), None)
        if closing is not None and words[closing] == "," and not any(_starts_verb(w) for w in words[k + 2 : closing]):
            return closing + 1
    return k + 1


def _past_bracketed(words: list[str], k: int, lone: bool) -> int:
    """ ", including 10 foreigners,", "-- mostly women --", "(beheaded)": past the closing mark."""
    closing = _APPOSITION_BRACKETS[words[k]]
    if words[k + 1 : k + 2] and words[k + 1] in _CLAUSE_OPENERS:
        return k  # ", while 60 others were injured,": another clause, not an apposition
    subgroup = words[k + 1 : k + 2] == ["including"]
    window = 30 if subgroup or (words[k + 1 : k + 2] and words[k + 1] in _APPOSITION_MARKERS) else 16
    for j in range(k + 1, min(len(words), k + window)):  # ", both members of ...," may run long
        if words[j] == closing:
            if lone and closing == "," and "and" in words[k + 1 : j] and words[k + 1] not in _APPOSITION_MARKERS:
                break  # "killing him, his son and two guests,": a list of victims, not an apposition
            if subgroup and closing == ",":
                named = _past_named_subgroup(words, j)
                if named is not None:
                    return named
            return j + 1
        if words[j] in CLAUSE_STOPS:
            break
        if subgroup and words[j] in _RELATIVE_PRONOUNS:
            subgroup = False  # a clause of its own inside: its verb is not the mention's
        if subgroup and closing == "," and words[j] in VERB_AUX:
            return j  # ", including a police inspector were killed": the closing comma left out
    return k


def _past_named_subgroup(words: list[str], j: int) -> int | None:
    """ "including four aides of the emir, Musa Bello, were killed": the name after the sub-group."""
    follow = next((n for n in range(j + 1, min(len(words), j + 7)) if not words[n].isalpha()), None)
    if (
        follow is not None
        and follow > j + 1
        and words[follow] == ","
        and follow + 1 < len(words)
        and words[follow + 1] in VERB_AUX
        and not any(w in CLAUSE_WORDS or w in OUTCOME_WORDS for w in words[j + 1 : follow])
    ):
        return follow + 1
    return None


def skip_uncounted_conjunct(words: list[str], k: int, mentions_by_start: dict[int, Mention]) -> int:
    """ "40 foreigners and Afghans were killed": past an uncounted "and" group to its verb."""
    if words[k : k + 1] != ["and"]:
        return k
    j = k + 1
    while (
        j < len(words)
        and j - k <= 3
        and words[j].isalpha()
        and j not in mentions_by_start
        and words[j] not in NP_STOP
        and words[j] not in COUNT_WORDS
        and words[j] not in TRIGGER_FIRST_WORDS
    ):
        j += 1
    if j > k + 1 and words[j : j + 1] == [","] and "," in words[j + 1 : j + 6]:
        close = words.index(",", j + 1)  # "12 women and children, all related, were killed"
        if all(w.isalpha() and w not in VERB_AUX and w not in TRIGGER_FIRST_WORDS for w in words[j + 1 : close]):
            j = close + 1
    return j if j > k + 1 and j < len(words) and words[j] in VERB_AUX else k
