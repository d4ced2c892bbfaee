"""Ellipsis: a bare count after a linked figure takes that figure's outcome ("6 killed by fire and
3 by IEDs", "killing 3 and wounding 2 more") and adds to it; "along with two others" joins its
chain. Not survivors ("4 others escaped"), nor a part from one group ("13 killed, seven from one
family": a sub-group), and another estimate of a toll is one more toll ("40, 49, possibly 60")."""

from __future__ import annotations

from streams.casualties.apposition import skip_apposition
from streams.casualties.knowledge import phrases
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import CLAUSE_STOPS
from streams.casualties.links import Link, SentenceLinks, chained
from streams.casualties.mention import Mention
from streams.casualties.mentions import person_like
from streams.casualties.numbers import COUNT_WORDS

_ELLIPSIS_OPENERS = vocabulary("ellipsis_openers")
_ELLIPSIS_FOLLOWERS = vocabulary("ellipsis_followers")
_BARE_HEADS = vocabulary("bare_heads")
_ALONG_WITH = phrases("along_with")
_SURVIVED = vocabulary("survived")
_ONE_GROUP = vocabulary("one_group")


def _along_with(words: list[str], mention: Mention) -> bool:
    return mention.start > 1 and tuple(words[mention.start - 2 : mention.start]) in _ALONG_WITH


def _elliptical(words: list[str], mention: Mention) -> bool:
    """A counted group after "and", "while", a comma ..., bare ("3 more") or "by" what killed it."""
    before = words[mention.start - 1] if mention.start else ""
    after = words[mention.end] if mention.end < len(words) else "."
    bare = not mention.victim_words or mention.victim_words[-1] in _BARE_HEADS
    return (
        not mention.lone
        and before in _ELLIPSIS_OPENERS
        and ((bare and after in _ELLIPSIS_FOLLOWERS) or (after == "by" and person_like(mention.victim_words)))
    )


def _another_part_follows(words: list[str], k: int) -> bool:
    """ "5 from one clan and 3 from the other": the parts of a breakdown (see subgroups.py)."""
    for j in range(k, min(len(words) - 1, k + 6)):
        if words[j] in CLAUSE_STOPS:
            return False
        if words[j] == "and" and (words[j + 1][:1].isdigit() or words[j + 1] in COUNT_WORDS):
            return True
    return False


def _part_of_one_group(words: list[str], mention: Mention) -> bool:
    """ "13 were killed, seven from one family" (with no other part after it)."""
    before = words[mention.start - 1] if mention.start else ""
    after = words[mention.end] if mention.end < len(words) else "."
    return (
        before == ","
        and after == "from"
        and bool(words[mention.end + 1 : mention.end + 2])
        and words[mention.end + 1] in _ONE_GROUP
        and not _another_part_follows(words, mention.end)
    )


def _ellipsis_link(sentence: SentenceLinks, mention: Mention, previous: Link) -> Link | None:
    words = sentence.words
    resumed = skip_apposition(words, mention.end)
    if resumed < len(words) and words[resumed] in _SURVIVED:
        return None  # "6 were killed and 4 others, including a girl, escaped": survivors
    if _part_of_one_group(words, mention):
        sentence.subgroup_starts.add(mention.start)
        return None
    if previous.relation == "before" and previous.trigger == previous.mention.start:
        # "put the death toll at 40, 49, possibly 60": other estimates, each a toll
        return Link(mention, previous.outcome, "before", mention.start, update=previous.update)
    return Link(mention, previous.outcome, "elliptical", mention.start, previous.weak)


def link_ellipses(sentence: SentenceLinks, ordered: list[Mention]) -> None:
    """Link the unlinked groups of ``ordered`` to the figure before them, where the text elides
    the trigger."""
    links, words = sentence.links, sentence.words
    previous: Link | None = None
    for mention in ordered:
        if mention.start in links:
            previous = links[mention.start]
            continue
        if _along_with(words, mention):
            earlier = max((s for s in links if s < mention.start), default=None)
            previous = links[earlier] if earlier is not None else None  # (a bare passive's subject too)
            if previous:
                links[mention.start] = previous = chained(mention, previous)
                continue
        if previous and _elliptical(words, mention):
            link = _ellipsis_link(sentence, mention, previous)
            if link is not None:
                links[mention.start] = previous = link
