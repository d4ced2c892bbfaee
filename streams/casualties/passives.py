"""Bare passives: "X was killed", "X and Y were shot dead", "Maria Lopez, the owner of the farm, has
been murdered" with no counted subject: one victim per coordinated singular subject, whatever the
subject's words."""

from __future__ import annotations

from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import AUXILIARY_GAP, NEGATED_SUBJECTS, SINGULAR_PERSONS
from streams.casualties.links import Link, SentenceLinks
from streams.casualties.mention import lone_mention
from streams.casualties.numbers import Count
from streams.casualties.triggers import match_after

_BARE_PASSIVE_AUX = vocabulary("bare_passive_aux")
_PERFECT_AUX = vocabulary("perfect_aux")
_SUBJECT_BREAKS = vocabulary("subject_breaks")
_NON_VICTIM_SUBJECTS = vocabulary("non_victim_subjects") | NEGATED_SUBJECTS
_SINGLE_DETERMINERS = vocabulary("single_determiners")


def _subject_end(words: list[str], aux: int) -> int | None:
    """Where the subject before the auxiliary at ``aux`` ends (before an apposition set off by
    commas: "Andrey Karlov, Russia's ambassador to Turkey, was killed"), or None."""
    before_aux = aux - 1
    if words[aux] == "been" and words[before_aux] in _PERFECT_AUX and aux >= 2:
        before_aux -= 1  # "Maria Lopez, the owner of the farm, has been murdered"
    if words[before_aux] == ",":
        return next((j for j in range(before_aux - 1, max(0, before_aux - 24), -1) if words[j] == ","), None)
    if words[aux - 1] in _SUBJECT_BREAKS:
        return None
    return aux


def _subject(words: list[str], subject_end: int) -> tuple[int, list[str]]:
    """The subject's start and words: back to a break, at most 12 words, without trailing gap words."""
    start = subject_end - 1
    while start > 0 and words[start - 1] not in _SUBJECT_BREAKS and subject_end - start < 12:
        start -= 1
    subject = words[start:subject_end]
    while subject and subject[-1] in AUXILIARY_GAP:
        subject.pop()
    return start, subject


def _subject_victims(words: list[str], aux: int, subject: list[str]) -> int | None:
    """How many victims the subject names: one, or one per singular conjunct after a plural verb."""
    if not subject or any(w in _NON_VICTIM_SUBJECTS for w in subject) or any(w[0].isdigit() for w in subject):
        return None
    if words[aux] == "were" or (words[aux] == "been" and words[aux - 1] == "have"):
        parts = [p.split() for p in " ".join(subject).replace(" along with ", " and ").split(" and ")]
        if len(parts) < 2 or not all(p and (p[0] in _SINGLE_DETERMINERS or p[-1] in SINGULAR_PERSONS) for p in parts):
            return None
        return len(parts)
    return 1


def link_bare_passives(sentence: SentenceLinks) -> None:
    """Link the subjects of bare passives whose trigger no other link holds."""
    tokens, words, links = sentence.tokens, sentence.words, sentence.links
    used = {link.trigger for link in links.values()}
    covered = [(link.mention.start, link.trigger) for link in links.values()]
    for aux in range(1, len(words)):
        if words[aux] not in _BARE_PASSIVE_AUX or not tokens[aux].text.islower():
            continue
        subject_end = _subject_end(words, aux)
        if subject_end is None:
            continue
        k = aux + 1
        while k < len(words) and words[k] in AUXILIARY_GAP:
            k += 1
        match = match_after(words, k)
        if not match or match[3] in used or any(start <= aux <= trigger for start, trigger in covered):
            continue
        start, subject = _subject(words, subject_end)
        victims = _subject_victims(words, aux, subject)
        if victims is None:
            continue
        mention = lone_mention(tokens, words, start, start + len(subject), Count(victims, victims, "exact"))
        links[start] = Link(mention, match[1], "after", match[3], match[2])
        used.add(match[3])
