"""Who says so and who did it, and where: the source a figure is attributed to, its cause, the
perpetrator and the places named in its sentence. Regexes and the entity stage's spans, no parser."""

from __future__ import annotations

import re

from streams.casualties.knowledge import knowledge, word_list, words
from streams.casualties.lexicon import ARTICLES, MONTHS, WEEKDAYS

_ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?:the\s+latest\s+\w+\s+(?:from|by)\s+)?([^,.;:()\"“”]{2,80})", re.IGNORECASE
)
_SPEECH_VERB = "(?:" + "|".join(word_list("source_verbs")) + ")"
_TRAILING_SOURCE = re.compile(rf",\s*([^,;]{{2,80}}?)\s+{_SPEECH_VERB}\b[^,;]*[.!?\"”]?$", re.IGNORECASE)
_SOURCE_THEN_VERB = re.compile(
    rf"^(?:but|and|meanwhile|however)?\s*,?\s*([A-Z][^,;:]{{1,60}}?)(?:,[^,]{{2,120}},)?\s+{_SPEECH_VERB}\b",
    re.IGNORECASE,
)

_PERPETRATOR_BY = re.compile(
    r"\b(?:killed|wounded|injured|attacked|shot|abducted|kidnapped|carried\s+out|claimed|executed|murdered)"
    r"\s+(?:\w+\s+)?by\s+((?:a|an|the|suspected|unknown|unidentified|armed)?\s*[^,.;]{2,60}?)"
    r"(?=\s+(?:in|on|at|near|during|who|while|after|when|as|and)\b|[,.;]|$)",
    re.IGNORECASE,
)
_ACTIVE_SUBJECT = re.compile(
    r"^(?:on\s+[^,]+,\s*)?((?:suspected|unknown|unidentified|armed|the)?\s*[A-Za-z][\w\s'-]{2,60}?)\s+"
    r"(?:have\s+|has\s+|had\s+|reportedly\s+|allegedly\s+)?(?:killed|shot|attacked|stormed|ambushed|abducted|kidnapped|opened\s+fire|fired)\b",
    re.IGNORECASE,
)
_PLACE_AFTER_PREPOSITION = re.compile(r"\b(?:in|near|at|outside|of)\s+((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,3})")
_PERPETRATOR_LABELS = {"ORG", "NORP", "PERSON", "GPE"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def source_of(sentence: str) -> str | None:
    """Who the sentence attributes its figures to ("According to the coalition" -> "the coalition")."""
    match = _ACCORDING_TO.search(sentence)
    if match:
        return match.group(1).strip()
    match = _TRAILING_SOURCE.search(sentence)
    if match and len(match.group(1).split()) <= 8:
        return match.group(1).strip()
    match = _SOURCE_THEN_VERB.search(sentence)
    if match:
        return match.group(1).strip()
    return None


_CAUSE_PATTERNS = [
    (cause, re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in cues) + ")")) for cause, cues in knowledge().causes
]


def cause_of(sentence: str) -> str | None:
    lowered = sentence.lower()
    for cause, pattern in _CAUSE_PATTERNS:
        if pattern.search(lowered):
            return cause
    return None


def _overlapping(entities: list[dict], start: int, end: int, labels: set[str]) -> list[dict]:
    found = []
    for entity in entities:
        try:
            if entity.get("label") in labels and int(entity["start"]) < end and int(entity["end"]) > start:
                found.append(entity)
        except (KeyError, TypeError, ValueError):
            continue
    return found


def perpetrator_of(
    sentence: str, sentence_start: int, entities: list[dict] | None, body: str | None = None
) -> dict | None:
    """Who did it, from "by X", the subject of an active killing verb, or the force named on the
    attack ("killed in US-led strikes", "in coalition raids"), linked to an entity."""
    match = _PERPETRATOR_BY.search(sentence)
    if not match:
        match = _ACTIVE_SUBJECT.search(sentence)
        if match and match.group(1).split()[-1].lower() in _PASSIVE_AUX:
            match = None  # "Five people were killed": the victims, not who killed them
    if not match:
        return _attack_agent(sentence, sentence_start, entities, body)
    text = match.group(1).strip()
    if not text or text.lower() in ARTICLES:
        return None
    start = sentence_start + match.start(1)
    linked = _overlapping(entities or [], start, start + len(match.group(1)), _PERPETRATOR_LABELS)
    return {"text": text, "entity_id": linked[0].get("id") if linked else None}


_PASSIVE_AUX = words("passive_aux")
_LED = r"-(?:led|backed)"
_ATTACK_NOUNS = (
    r"(?:air\s*strikes?|air\s+raids?|drone\s+strikes?|strikes?|raids?|shelling|bombardments?|"
    r"bombings?|attacks?|offensives?|operations?)"
)
# "killed in US-led strikes", "in coalition raids", "by Russian airstrikes": the force behind the attack.
_ATTACK_AGENT = re.compile(
    rf"\b(?:in|by|during|from)\s+(?:an?\s+|the\s+)?"
    rf"(?P<agent>(?:[A-Z][\w.'’]*(?:{_LED})?\s+){{0,2}}[A-Z][\w.'’]*(?:{_LED})?(?:\s+coalition)?|coalition)"
    rf"\s+{_ATTACK_NOUNS}\b"
)
# The full name of a coalition or force an article gives once ("The US-led coalition").
_NAMED_FORCE = re.compile(rf"\b((?:[A-Z][\w.'’]*{_LED}|[A-Z][\w.'’]*)\s+(?:coalition|forces|alliance))\b")


def _attack_agent(sentence: str, sentence_start: int, entities: list[dict] | None, body: str | None) -> dict | None:
    match = _ATTACK_AGENT.search(sentence)
    if not match:
        return None
    agent = match.group("agent")
    if agent.lower() in ARTICLES or agent.split()[0].lower() in MONTHS or agent.split()[0].lower() in WEEKDAYS:
        return None
    start = sentence_start + match.start("agent")
    text, span = agent, (start, start + len(agent))
    # Resolve to the article's fuller name of that force: "US-led" or "coalition" -> "US-led coalition".
    if body and (agent.endswith(("-led", "-backed")) or agent == "coalition"):
        for named in _NAMED_FORCE.finditer(body):
            name = named.group(1)
            head = name.split()[0]
            if (agent == "coalition" and name.endswith("coalition") and re.search(_LED + "$", head)) or (
                agent != "coalition" and head == agent
            ):
                text, span = name, named.span(1)
                break
    linked = _overlapping(entities or [], span[0], span[1], _PERPETRATOR_LABELS)
    if text == agent and not re.search(_LED + r"|coalition", agent):
        # a bare capitalised modifier may be a place ("in Kabul attacks"): keep it only when it
        # names a group or nationality (an entity saying so, else a nationality ending)
        own = _overlapping(entities or [], start, start + len(agent), _AGENT_LABELS)
        if not (own if entities else agent.split()[-1].endswith(_NATIONALITY_ENDINGS)):
            return None
    return {"text": text, "entity_id": linked[0].get("id") if linked else None}


_AGENT_LABELS = {"ORG", "NORP"}
_NATIONALITY_ENDINGS = word_list("nationality_endings")


def locations_of(sentence: str, sentence_start: int, entities: list[dict] | None) -> list[dict]:
    """Places named in the figure's sentence: the NER stage's places, else capitalised names after
    a locative preposition (then unlinked)."""
    if entities is not None:
        places = [
            place
            for place in _overlapping(entities, sentence_start, sentence_start + len(sentence), _PLACE_LABELS)
            if not _place_modifier(sentence, place.get("end", 0) - sentence_start)
        ]
        seen, result = set(), []
        for place in places:
            key = place.get("id") or place.get("text")
            if key in seen:
                continue
            seen.add(key)
            result.append(
                {
                    "text": place.get("text"),
                    "entity_id": place.get("id"),
                    "canonical": place.get("canonical"),
                    "country": place.get("country"),
                }
            )
        return result
    return [
        {"text": m.group(1), "entity_id": None, "canonical": None, "country": None}
        for m in _PLACE_AFTER_PREPOSITION.finditer(sentence)
        if m.group(1).lower() not in MONTHS
        and m.group(1).lower() not in WEEKDAYS
        and not _MODIFIER_SUFFIX.search(m.group(1))
    ][:5]


# A place name glued to these describes someone, not where it happened: "US-led strikes" (who
# struck), "a London-based group" (who counts), "Iranian-backed militia".
_MODIFIER_SUFFIX = re.compile(r"-(?:" + "|".join(word_list("place_modifier_suffixes")) + r")\b", re.IGNORECASE)


def _place_modifier(sentence: str, end: int) -> bool:
    """Whether the place ending at ``end`` (in the sentence) is a modifier like "US-led"."""
    try:
        return bool(_MODIFIER_SUFFIX.match(sentence, int(end)))
    except (TypeError, ValueError):
        return False
