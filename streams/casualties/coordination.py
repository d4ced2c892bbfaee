"""Coordination: victim groups joined by "and", commas or "as well as" share one trigger and form
one chain ("5 soldiers and 3 civilians were killed", "killing a farmer, a teacher and a student").
Active chains run forwards from a trigger before the first group, passive chains backwards from a
trigger after the last."""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import ARTICLES, CLAUSE_WORDS, PRONOUNS, SPEECH_VERBS, VERB_AUX
from streams.casualties.links import SentenceLinks, chained
from streams.casualties.mention import Mention
from streams.casualties.triggers import NP_STOP, OUTCOME_WORDS

_COORDINATORS = vocabulary("coordinators")
_LIST_CONJUNCTIONS = vocabulary("list_conjunctions")
_LIST_STOPS = vocabulary("list_stops")
_QUALIFYING_PREPOSITIONS = vocabulary("qualifying_prepositions")
_PERSON_POSSESSIVES = vocabulary("person_possessives")
_HOUSEHOLDS = vocabulary("households")
_HOUSEHOLD_SEPARATORS = vocabulary("household_separators")
_CLAUSE_VERBS = VERB_AUX | vocabulary("modal_verbs")


def _list_continues(words: list[str], end: int) -> bool:
    """Whether "and" (or ", and") follows within a few words: "a farmer, a teacher and a
    student" is a list, "the village head, Chief Alfa Yayu" names one person twice."""
    for k in range(end, min(len(words), end + 6)):
        if words[k] in _LIST_CONJUNCTIONS:
            return True
        if words[k] in _LIST_STOPS or words[k] in VERB_AUX:
            return False
    return False


def _plain_words(between: list[str]) -> bool:
    return all(w.isalpha() and w not in CLAUSE_WORDS and w not in OUTCOME_WORDS for w in between)


def _qualifying_phrase(between: list[str]) -> bool:
    """ "from an electric company and": a short prepositional phrase, then "and"."""
    return (
        3 <= len(between) <= 8
        and between[-1] == "and"
        and between[0] in _QUALIFYING_PREPOSITIONS
        and _plain_words(between[1:-1])
    )


def _titled_name(between: list[str], right: Mention) -> bool:
    """ "and drummer Luis Soto": "and", a short lower-case title, then a name."""
    return (
        2 <= len(between) <= 4
        and between[0] == "and"
        and right.victim_words[:1] != ()
        and right.victim_words[0] not in ARTICLES
        and right.victim_words[0] not in PRONOUNS
        and all(
            w.isalpha() and w not in CLAUSE_WORDS and w not in OUTCOME_WORDS and w not in NP_STOP for w in between[1:]
        )
    )


def _source_or_gloss(words: list[str], left: Mention, right: Mention, between: list[str]) -> bool:
    """A source after the victims, or a number saying what a vague word means: not a second group."""
    if right.lone and (
        (words[right.end : right.end + 1] and words[right.end] in SPEECH_VERBS)
        or (right.victim_words[-1:] and right.victim_words[-1] in SPEECH_VERBS)
    ):
        return True  # "killing 17 civilians, a police officer said": the source, not a victim
    return between == [","] and left.count.vague and not right.count.vague and not right.lone
    # ("there were several victims, 12 dead": the number says what "several" means)


def _past_age(between: list[str]) -> list[str]:
    """ "John Carter, 33, and Mary Carter": an age, not a group."""
    if len(between) >= 3 and between[0] == "," and between[1].isdigit() and len(between[1]) <= 3:
        return between[2:]
    return between


def _one_person_or_clause(words: list[str], left: Mention, right: Mention, between: list[str], headline: bool) -> bool:
    if left.lone and right.lone and between == [","] and not headline and not _list_continues(words, right.end):
        return True  # "killed Benjamin Okulto, 47, a candidate for mayor": one person, named twice
        # (a headline's comma is "and": "Woman, boyfriend killed in shooting")
    return "as" in between and "well" not in between  # "hitting her daughter, as she drove past"


def coordinated(words: list[str], left: Mention, right: Mention, headline: bool = False) -> bool:
    """Whether ``left`` and ``right`` are one list of victims."""
    between = words[left.end : right.start]
    if _source_or_gloss(words, left, right, between):
        return False
    between = _past_age(between)
    if _one_person_or_clause(words, left, right, between, headline):
        return False
    if not right.lone and "other" in right.victim_words and _qualifying_phrase(between):
        return True  # "8 workers from a power company and 3 other people were found dead"
    if (
        not between
        and left.lone
        and right.lone
        and right.victim_words[:1]
        and right.victim_words[0] in _PERSON_POSSESSIVES
        and words[right.end : right.end + 1] == ["were"]
    ):
        return True  # "a councilwoman her driver were shot": the "and" left out, the verb plural
    if (
        left.lone
        and right.lone
        and left.victims.split()[-1:]
        and left.victims.split()[-1][:1].isupper()
        and _titled_name(between, right)
    ):
        return True  # "bass player Ana Ruiz and drummer Luis Soto were found dead"
    return (
        bool(between)
        and len(between) <= 4
        and all(w in _COORDINATORS for w in between)
        and ("and" in between or "," in between or "with" in between or "plus" in between)
    )


def _object_list(words: list[str], left: Mention, right: Mention) -> bool:
    """ "killed the dean of the Faculty of Sciences and two of her children": a lone object with
    a long description, then "and" another victim, all in one noun phrase list."""
    between = words[left.end : right.start]
    if not between or between[-1] != "and":
        return False
    if words[right.end : right.end + 1] and words[right.end] in _CLAUSE_VERBS:
        return False  # "shot her sister with a rifle and their father could face charges"
    inner = between[:-1]
    if inner and inner[-1] == ",":
        inner = inner[:-1]
    return len(inner) <= 10 and all(
        (w.replace("'", "").replace("’", "").replace("-", "").isalpha() or w in "()")
        and w not in CLAUSE_WORDS
        and w not in OUTCOME_WORDS
        for w in inner
    )


def _members_listed(words: list[str], left: Mention, right: Mention) -> bool:
    """ "two families: four children and four parents": households counted, then their members
    after a dash or colon; the members are the victims."""
    between = words[left.end : right.start]
    return (
        bool(left.victim_words)
        and left.victim_words[-1] in _HOUSEHOLDS
        and not right.lone
        and len(between) == 1
        and between[0] in _HOUSEHOLD_SEPARATORS
    )


def chain_forwards(sentence: SentenceLinks, ordered: list[Mention]) -> None:
    """Active chains: a group linked to a trigger before it passes the link to the next group."""
    links, words = sentence.links, sentence.words
    for left, right in zip(ordered, ordered[1:], strict=False):
        if left.start in links and right.start not in links and _members_listed(words, left, right):
            links[right.start] = chained(right, links.pop(left.start))  # "killing two families: four children and ..."
        elif (
            left.start in links
            and right.start not in links
            and coordinated(words, left, right, sentence.headline)
            and links[left.start].relation in ("before", "coordinated")
        ):
            links[right.start] = chained(right, links[left.start])


def link_object_lists(sentence: SentenceLinks, ordered: list[Mention]) -> list[Mention]:
    """ "killed the dean of the Faculty ... and two of her children": the victim after the lone
    object's description shares its link; the names inside the description are dropped from
    ``ordered`` (returned without them)."""
    links, words = sentence.links, sentence.words
    described: set[int] = set()
    for i, left in enumerate(ordered):
        link = links.get(left.start)
        if link is None or not left.lone or link.relation != "before":
            continue
        right = next((m for m in ordered[i + 1 :] if m.start and words[m.start - 1] == "and"), None)
        if right is not None and right.start not in links and _object_list(words, left, right):
            links[right.start] = chained(right, link)
            described.update(m.start for m in ordered if left.start < m.start < right.start)
    return [m for m in ordered if m.start not in described]


def chain_backwards(sentence: SentenceLinks, ordered: list[Mention]) -> None:
    """Passive chains: a group linked to a trigger after it passes the link to the group before."""
    links, words = sentence.links, sentence.words
    for left, right in reversed(list(zip(ordered, ordered[1:], strict=False))):
        if (
            right.start in links
            and left.start not in links
            and coordinated(words, left, right, sentence.headline)
            and links[right.start].relation in ("after", "coordinated")
        ):
            links[left.start] = chained(left, links[right.start])
