"""Tolls and their updates: "the death toll rose to 50" revises the toll, "(another source) put the
toll at 11" or "a lower toll of three" is one more account of it; "the toll could be closer to 50"
is no figure, and a toll of the dead and injured together is no death toll."""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import CLAUSE_STOPS
from streams.casualties.links import Link
from streams.casualties.mention import Mention

_TOLL_VERBS = vocabulary("toll_verbs")
_TOLL_CHANGES = vocabulary("toll_changes")
_TOLL_RESTATEMENTS = vocabulary("toll_restatements")
_TOLL_WORDS = vocabulary("toll_words")
_TOLL_NOUNS = vocabulary("toll_nouns")
_TOLL_OF = vocabulary("toll_of")
_NON_DEATH_TOLL = vocabulary("non_death_toll")
_SPECULATION = vocabulary("speculation")


def _toll_word(words: list[str], j: int) -> bool:
    """ "toll", "deaths", "fatalities", or a figure named for them: "the casualty figure", "the
    death count"."""
    return words[j] in _TOLL_WORDS or (words[j] in _TOLL_NOUNS and j > 0 and words[j - 1] in _TOLL_OF)


def _reports_toll(words: list[str], k: int) -> bool:
    return words[k] in _TOLL_VERBS or (words[k] == "of" and words[k - 1 : k] == ["toll"])


def link_toll(words: list[str], mention: Mention, verb: int) -> Link | None:
    """The count reported as a toll by the words before it (at ``mention.start - 1`` or ``verb``,
    the verb position past the gap words: "put the toll at 11", where "at" is also a gap word)."""
    for position in dict.fromkeys((mention.start - 1, verb)):
        if position < 0 or not _reports_toll(words, position):
            continue
        toll = next((j for j in range(position, max(-1, position - 45), -1) if _toll_word(words, j)), None)
        if (
            toll is None
            or any(w in CLAUSE_STOPS or w in _SPECULATION for w in words[toll:position])
            or (
                "toll" in words[max(0, toll - 3) : toll + 1] and any(w in _NON_DEATH_TOLL for w in words[toll:position])
            )
        ):
            continue
        # "the toll rose to 50" revises; "(another source) put the toll at 11", "a lower
        # toll of three" is one more account, weighed like any restatement
        update = words[position] not in _TOLL_RESTATEMENTS or any(w in _TOLL_CHANGES for w in words[toll:position])
        # each toll figure is its own chain: "a toll of 359 was revised to 253" is not 612
        return Link(mention, "killed", "before", mention.start, update=update)
    return None
