"""One sentence's links, in named passes: each mention to its own trigger (after it, before it, past
a long subject, or an outcome its words carry), then coordination forwards and backwards, bare
passives, ellipsis, the same victim read twice, and sub-groups attached to their group."""

from __future__ import annotations

from streams.casualties.coordination import chain_backwards, chain_forwards, link_object_lists
from streams.casualties.ellipsis import link_ellipses
from streams.casualties.implicit_outcomes import implicit_outcome
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import NEGATED_SUBJECTS
from streams.casualties.links import Link, SentenceLinks
from streams.casualties.mention import Mention
from streams.casualties.mentions import find_mentions
from streams.casualties.passives import link_bare_passives
from streams.casualties.same_victim import drop_reflexive_objects, injury_then_death, suicide_joins_killing
from streams.casualties.subgroups import attach_subgroups, breakdowns_to_subgroups, is_subgroup
from streams.casualties.text import Token
from streams.casualties.trigger_linking import link_after, link_before, link_long_subject
from streams.casualties.triggers import object_positions

_TAIL_STARTS = vocabulary("tail_starts")


def _own_link(sentence: SentenceLinks, mention: Mention) -> tuple[Link | None, int]:
    """The mention's own trigger, in this order of trust, and where its apposition ends."""
    words = sentence.words
    link, appositive_end = link_after(words, mention, sentence.by_start, sentence.headline)
    if link is None or link.weak:  # "the bodies of 2 civilians with gunshot wounds"
        before = link_before(words, mention)
        if link is None or (before is not None and not before.weak):
            link = before
    elif appositive_end > mention.end and words[mention.end] in _TAIL_STARTS:
        # "killed five people from a group of eight abducted": the verb right before the
        # count governs it, not one at the end of its qualifying tail
        before = link_before(words, mention)
        if before is not None and not before.weak and before.outcome != link.outcome:
            link = before
    if link is None:
        link = link_long_subject(words, mention, sentence.by_start)
    if link is None:
        link = implicit_outcome(words, mention)
    return link, appositive_end


def _link_each(sentence: SentenceLinks) -> None:
    """Each mention that is not a sub-group to its own trigger; mentions inside its apposition
    become its sub-groups."""
    for mention in sentence.mentions:
        if mention.start in sentence.subgroup_starts:
            continue
        if is_subgroup(sentence.words, mention):
            sentence.subgroup_starts.add(mention.start)
            continue
        link, appositive_end = _own_link(sentence, mention)
        if link:
            sentence.links[mention.start] = link
            inside = [m for m in sentence.mentions if mention.end <= m.start < appositive_end]
            if inside:
                sentence.contained[mention.start] = inside
                sentence.subgroup_starts.update(m.start for m in inside)


def link_sentence(
    tokens: list[Token], person_starts: dict[int, int], headline: bool = False
) -> tuple[list[Link], dict[int, list[Mention]]]:
    """Links of one sentence and, per linked mention start, the sub-groups it contains.
    A ``headline`` drops auxiliaries ("Teen shot on Main Street"), so lone victims link without."""
    words = [t.lower for t in tokens]
    mentions = [
        m
        for m in find_mentions(tokens, person_starts, object_positions(words), headline)
        if not (m.start and words[m.start - 1] in NEGATED_SUBJECTS)
    ]
    sentence = SentenceLinks(tokens, words, mentions, headline)
    _link_each(sentence)
    ordered = [m for m in mentions if m.start not in sentence.subgroup_starts]
    chain_forwards(sentence, ordered)
    ordered = link_object_lists(sentence, ordered)
    chain_backwards(sentence, ordered)
    link_bare_passives(sentence)
    injury_then_death(words, sentence.links)
    link_ellipses(sentence, ordered)
    drop_reflexive_objects(sentence.links)
    suicide_joins_killing(sentence.links)
    breakdowns_to_subgroups(sentence.links, sentence.subgroup_starts)
    attach_subgroups(sentence)
    return sorted(sentence.links.values(), key=lambda link: link.mention.start), sentence.contained
