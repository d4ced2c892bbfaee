"""Sub-groups: a count that is part of a group already counted ("12 people, including 4 children",
"eight of them civilians", "ten of those killed were children", "8 tribesmen killed, 5 from one
clan and 3 from the other"). Sub-groups are attached to their group and never counted."""

from __future__ import annotations

from streams.casualties.knowledge import phrases
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import CLAUSE_STOPS, INDEFINITE_ARTICLES
from streams.casualties.links import Link, SentenceLinks
from streams.casualties.mention import Mention
from streams.casualties.trigger_linking import link_after
from streams.casualties.triggers import OUTCOME_WORDS

_SUBGROUP_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in phrases("subgroup_markers"):
    _SUBGROUP_BY_LAST.setdefault(_phrase[-1], []).append(_phrase)
_PARTITIVES = phrases("subgroup_partitives")
_OF_THE_DETERMINERS = vocabulary("of_the_determiners")
_OF_THE_DEAD = vocabulary("of_the_dead")
_ORPHAN_CLOSERS = vocabulary("orphan_closers")
_SCOPE_STOPS = CLAUSE_STOPS | {"("}  # a marker does not reach across these


def is_subgroup(words: list[str], mention: Mention) -> bool:
    """Whether a marker like "including" or "among them" governs the mention, or the mention
    names part of a group already counted: "ten of those killed were children", "killing 15
    people, eight of them civilians"."""
    k = mention.start
    tail = words[mention.end : mention.end + 3]
    if len(tail) == 3 and tail[0] == "of" and tail[1] in _OF_THE_DETERMINERS and tail[2] in _OF_THE_DEAD:
        return True
    if mention.victim_words[:2] in _PARTITIVES and len(mention.victim_words) > 2 and k and words[k - 1] == ",":
        return True
    for back in range(1, 8):
        j = k - back
        if j < 0 or words[j] in _SCOPE_STOPS:
            return False
        for phrase in _SUBGROUP_BY_LAST.get(words[j], ()):
            if tuple(words[j - len(phrase) + 1 : j + 1]) == phrase:
                return True
        if words[j] in OUTCOME_WORDS:
            return False  # "5 civilians including 2 children were killed and 12 injured"
    return False


def breakdowns_to_subgroups(links: dict[int, Link], subgroup_starts: set[int]) -> None:
    """ "8 tribesmen killed, 5 from one clan and 3 from the other": elliptical figures that add up
    exactly to the figure before them break it down; they are sub-groups, not more victims."""
    ordered = sorted(links)
    i = 0
    while i < len(ordered):
        parent = links[ordered[i]]
        j = i + 1
        while j < len(ordered) and links[ordered[j]].relation == "elliptical":
            j += 1
        parts = [links[start] for start in ordered[i + 1 : j]]
        if len(parts) >= 2 and sum(p.mention.count.min for p in parts) == parent.mention.count.min:
            for part in parts:
                del links[part.mention.start]
                subgroup_starts.add(part.mention.start)
        i = max(j, i + 1)


def _orphan_subgroup(sentence: SentenceLinks, mention: Mention) -> Link | None:
    """A sub-group of an uncounted group ("Civilians, including two children, were killed"):
    the only count the sentence gives, so at least that many; linked to the verb after the
    apposition that holds it."""
    words = sentence.words
    if (
        (mention.lone and not (mention.victim_words[:1] and mention.victim_words[0] in INDEFINITE_ARTICLES))
        or mention.count.vague
        or mention.end >= len(words)
        or words[mention.end] not in _ORPHAN_CLOSERS
    ):
        return None
    if not any(words[j] == "including" for j in range(max(0, mention.start - 3), mention.start)):
        return None
    closed = Mention(
        mention.count,
        mention.count_text,
        mention.victims,
        mention.start,
        mention.end + 1,
        victim_words=mention.victim_words,
    )
    link, _ = link_after(words, closed, sentence.by_start, sentence.headline)
    return Link(mention, link.outcome, "after", link.trigger, link.weak) if link else None


def attach_subgroups(sentence: SentenceLinks) -> None:
    """Each sub-group to the linked group before it (else after it); with no linked group at all,
    a sub-group of an uncounted group is linked itself."""
    links, contained, by_start = sentence.links, sentence.contained, sentence.by_start
    for start in sorted(sentence.subgroup_starts):
        if not links:  # "Many others, including a beggar, sustained fatal injuries": no counted group
            orphan = _orphan_subgroup(sentence, by_start[start])
            if orphan is not None:
                links[start] = orphan
                continue
        parent = max((s for s in links if s < start), default=None)
        if parent is None:
            parent = min((s for s in links if s > start), default=None)
        if parent is not None and all(start != m.start for m in contained.get(parent, [])):
            contained.setdefault(parent, []).append(by_start[start])
