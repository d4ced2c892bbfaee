"""Two readings of one victim: "killed himself" (the object is the subject), "a boy shot while
hunting dies" (the injured died), and the killer who then killed himself (one more death, in the
chain of the killing)."""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import CLAUSE_STOPS, REFLEXIVES
from streams.casualties.links import Link

_DIED = vocabulary("died")
_LATER = vocabulary("later")
_DEATH_SCOPE_ENDS = CLAUSE_STOPS | {"but"}


def injury_then_death(words: list[str], links: dict[int, Link]) -> None:
    """ "A boy shot while hunting dies", "a man shot on Friday has died": one victim was shot and
    the same clause says he died, with no other death in the sentence: he was killed."""
    if any(link.outcome == "killed" for link in links.values()):
        return
    weak = [
        link
        for link in links.values()
        if link.mention.count.min == 1 and link.outcome == "injured" and (link.weak or link.mention.lone)
    ]
    if len(weak) != 1:
        return
    link = weak[0]
    for k in range(link.trigger + 1, min(len(words), link.trigger + 16)):
        if words[k] in _DEATH_SCOPE_ENDS or k in links:
            return
        if words[k] in _DIED and (link.weak or words[k - 1] in _LATER):
            # ("was injured in the attack and later succumbed to his wounds": killed as well)
            links[link.mention.start] = Link(link.mention, "killed", link.relation, link.trigger)
            return


def _reflexive(link: Link) -> bool:
    return link.mention.lone and bool(link.mention.victim_words[:1]) and link.mention.victim_words[0] in REFLEXIVES


def drop_reflexive_objects(links: dict[int, Link]) -> None:
    """ "A jailed lawmaker killed himself": the object is the subject, one victim not two."""
    subjects = {link.trigger for link in links.values() if link.relation == "after"}
    for start, link in list(links.items()):
        if _reflexive(link) and link.relation == "before" and link.trigger in subjects:
            del links[start]


def suicide_joins_killing(links: dict[int, Link]) -> None:
    """ "shot his wife to death and then killed himself": the killer is one more death, added
    to the killing before it in the sentence (one chain), not a restatement of it."""
    for start, link in sorted(links.items()):
        if link.outcome != "killed" or not _reflexive(link):
            continue
        earlier = [other for s, other in links.items() if s < start and other.outcome == "killed" and not other.weak]
        if earlier and earlier[-1].trigger != link.trigger:
            links[start] = Link(link.mention, "killed", "coordinated", earlier[-1].trigger)
