"""What surrounds a figure: when (date, period, cumulative), who says so, cause, perpetrator
and places. All of it is read from the figure's sentence with regexes, never a parser."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from streams.casualties.lexicon import CAUSES, MONTHS, WEEKDAYS
from streams.casualties.numbers import parse_number

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
# Cues that a toll covers a period rather than one incident ("603 since 2014", "so far this year").
_CUMULATIVE = re.compile(
    rf"\bsince\s+(?!then\b|yesterday\b|last\s+night\b|(?:early\s+|late\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    rf"|(?:died|been|passed|succumbed|recovered|released|fled|left|returned|gone|become|run|identified)\b)"
    rf"[^,.;]{{0,80}}"
    rf"|\bso\s+far\s+(?:this|in)\s+(?:year|month|{_YEAR})\b"
    rf"|\b(?:this|last|previous)\s+year\b"
    rf"|\b(?:in\s+)?the\s+(?:month|year)\s+of\b(?:\s+(?:{_MONTH_NAMES})\b)?(?:\s+{_YEAR}\b)?(?:\s+alone\b)?"
    rf"|\b(?:per|a|each|every)\s+year\b|\bannually\b|\bto\s+date\b"
    rf"|\b(?:in|over|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years|months|decades?|year)\b"
    rf"|\bin\s+recent\s+(?:years|months)\b|\b(?:in|during|throughout)\s+{_YEAR}\b(?!\s*,?\s*\d)"
    rf"|\b(?:{_MONTH_NAMES})\s+alone\b"
    rf"|\b(?:in|during|throughout)\s+(?:{_MONTH_NAMES})\b(?![.,]?\s*\d)(?:\s+{_YEAR}\b)?(?!\s*,?\s*\d)"
    rf"|\bfor\s+{_YEAR}\b(?!\s*,?\s*\d)|\bsince\s+the\s+(?:start|beginning|outbreak)\b"
    rf"|\b(?:toll|tally)\s+since\s+\w+",  # "bringing the death toll since Thursday to 35": a running total
    re.IGNORECASE)
_SUPERLATIVE = re.compile(r"\b(?:deadliest|worst|bloodiest|biggest|largest|first|highest|most\s+\w+|"
                         r"heaviest|latest|fiercest)\b[^.;]*$", re.IGNORECASE)
# Clause openers: a period cue in one clause does not date a figure in another
# ("seven were shot dead ..., where an insurgency has left dozens killed in recent years").
CLAUSE_BREAK = re.compile(r";|,\s*(?=(?:where|which|who|whereas|while|but|bringing|raising|taking|"
                          r"pushing|adding|although|though)\b)|\s(?=(?:where|which|whereas)\s)",
                          re.IGNORECASE)
_SINCE_YEAR = re.compile(rf"\b({_YEAR})\b")
_MONTH_OF = re.compile(rf"\b(?:month\s+of\s+)?({_MONTH_NAMES})\b(?:\s+({_YEAR}))?", re.IGNORECASE)

_ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?:the\s+latest\s+\w+\s+(?:from|by)\s+)?([^,.;:()\"“”]{2,80})", re.IGNORECASE)
_SPEECH_VERB = r"(?:said|says|say|reported|reports|told|confirmed|confirms|stated|announced|added|claimed|estimated|estimates|counted|recorded|tallied)"
_TRAILING_SOURCE = re.compile(rf",\s*([^,;]{{2,80}}?)\s+{_SPEECH_VERB}\b[^,;]*[.!?\"”]?$", re.IGNORECASE)
_SOURCE_THEN_VERB = re.compile(rf"^(?:but|and|meanwhile|however)?\s*,?\s*([A-Z][^,;:]{{1,60}}?)(?:,[^,]{{2,120}},)?\s+{_SPEECH_VERB}\b", re.IGNORECASE)

_EXPLICIT_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s*({_YEAR})?\b", re.IGNORECASE)
_EXPLICIT_DATE_MDY = re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*({_YEAR}))?", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|last\s+night|tonight|this\s+morning)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

_PERPETRATOR_BY = re.compile(
    r"\b(?:killed|wounded|injured|attacked|shot|abducted|kidnapped|carried\s+out|claimed|executed|murdered)"
    r"\s+(?:\w+\s+)?by\s+((?:a|an|the|suspected|unknown|unidentified|armed)?\s*[^,.;]{2,60}?)"
    r"(?=\s+(?:in|on|at|near|during|who|while|after|when|as|and)\b|[,.;]|$)", re.IGNORECASE)
_ACTIVE_SUBJECT = re.compile(
    r"^(?:on\s+[^,]+,\s*)?((?:suspected|unknown|unidentified|armed|the)?\s*[A-Za-z][\w\s'-]{2,60}?)\s+"
    r"(?:have\s+|has\s+|had\s+|reportedly\s+|allegedly\s+)?(?:killed|shot|attacked|stormed|ambushed|abducted|kidnapped|opened\s+fire|fired)\b",
    re.IGNORECASE)
_PLACE_AFTER_PREPOSITION = re.compile(r"\b(?:in|near|at|outside|of)\s+((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,3})")
_PERPETRATOR_LABELS = {"ORG", "NORP", "PERSON", "GPE"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def parse_published(published_at: str | None) -> date | None:
    """The article's date from an ISO date or datetime string; None if unusable."""
    if not published_at or not isinstance(published_at, str):
        return None
    match = _ISO_DATE.match(published_at.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def cumulative_period(sentence: str, published: date | None) -> dict | None:
    """The period a toll covers when the sentence reports one ("since 2014", "in June alone")."""
    match = None
    for candidate in _CUMULATIVE.finditer(sentence):
        if candidate.group().lower().startswith("since") and _SUPERLATIVE.search(
                sentence[max(0, candidate.start() - 60):candidate.start()]):
            continue  # "their deadliest attack since 2017" dates a comparison, not a toll
        match = candidate
        break
    if not match:
        return None
    text = match.group().strip()
    start = None
    year = _SINCE_YEAR.search(text)
    month = _MONTH_OF.search(text)
    try:
        if month and MONTHS.get(month.group(1).lower()):
            month_number = MONTHS[month.group(1).lower()]
            year_number = int(month.group(2)) if month.group(2) else (published.year if published else None)
            if not month.group(2) and published and month_number > published.month:
                year_number -= 1  # "in December alone", published in March: the December before
            if year_number:
                last_day = calendar.monthrange(year_number, month_number)[1]
                return {"text": text, "start": date(year_number, month_number, 1).isoformat(),
                        "end": date(year_number, month_number, last_day).isoformat()}
        if year:
            start = date(int(year.group(1)), 1, 1).isoformat()
        elif published and re.search(r"\bthis\s+year\b", text, re.IGNORECASE):
            start = date(published.year, 1, 1).isoformat()
    except ValueError:
        start = None
    return {"text": text, "start": start, "end": published.isoformat() if published else None}


def clause_around(sentence: str, position: int) -> str:
    """The clause of ``sentence`` holding character ``position`` (see ``CLAUSE_BREAK``)."""
    start, end = 0, len(sentence)
    for match in CLAUSE_BREAK.finditer(sentence):
        if match.end() <= position:
            start = match.end()
        elif match.start() > position:
            end = match.start()
            break
    return sentence[start:end]


def incident_date(sentence: str, published: date | None) -> str | None:
    """The incident's day as YYYY-MM-DD, resolved against the publication date where needed."""
    try:
        for pattern, day_group, month_group in ((_EXPLICIT_DATE_DMY, 1, 2), (_EXPLICIT_DATE_MDY, 2, 1)):
            match = pattern.search(sentence)
            if match:
                year = int(match.group(3)) if match.group(3) else (published.year if published else None)
                if year is None:
                    return None
                day = date(year, MONTHS[match.group(month_group).lower()], int(match.group(day_group)))
                if published and not match.group(3) and day > published:
                    day = day.replace(year=year - 1)
                return day.isoformat()
        if published is None:
            return None
        weekday = _WEEKDAY.search(sentence)
        if weekday:
            back = (published.weekday() - WEEKDAYS[weekday.group(1).lower()]) % 7
            return (published - timedelta(days=back)).isoformat()
        relative = _RELATIVE_DAY.search(sentence)
        if relative:
            back = 1 if relative.group(1).lower() == "yesterday" else 0
            return (published - timedelta(days=back)).isoformat()
    except (ValueError, OverflowError):
        return None
    return None


_SPLIT = re.compile(r"\b(?:fatalities|fatality|deaths|toll|coded\s+as\s+\d+)\b[^.;\]]{0,40}?\bsplit\s+(?:up\s+)?"
                    r"(?:between|across|among|amongst)\s+(\w+)\s+(?:events|locations|incidents)\b(?:\s*\((\d+)\))?",
                    re.IGNORECASE)


def split_across_events(text: str) -> tuple[int, int | None] | None:
    """"Fatalities split between 2 events", "split across 4 events (2)": the article's toll is
    shared among N coded events; (N, this event's stated share or None)."""
    match = _SPLIT.search(text)
    if not match:
        return None
    parsed = parse_number([match.group(1).lower()], 0)
    if parsed is None or parsed[2] or not 2 <= parsed[0] <= 100:
        return None
    return parsed[0], int(match.group(2)) if match.group(2) else None


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


_CAUSE_PATTERNS = [(cause, re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in cues) + ")"))
                   for cause, cues in CAUSES]


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


def perpetrator_of(sentence: str, sentence_start: int, entities: list[dict] | None,
                   body: str | None = None) -> dict | None:
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
    if not text or text.lower() in ("the", "a", "an"):
        return None
    start = sentence_start + match.start(1)
    linked = _overlapping(entities or [], start, start + len(match.group(1)), _PERPETRATOR_LABELS)
    return {"text": text, "entity_id": linked[0].get("id") if linked else None}


_PASSIVE_AUX = frozenset("were was been being are is be got get gets getting".split())
_LED = r"-(?:led|backed)"
_ATTACK_NOUNS = (r"(?:air\s*strikes?|air\s+raids?|drone\s+strikes?|strikes?|raids?|shelling|bombardments?|"
                 r"bombings?|attacks?|offensives?|operations?)")
# "killed in US-led strikes", "in coalition raids", "by Russian airstrikes": the force behind the attack.
_ATTACK_AGENT = re.compile(
    rf"\b(?:in|by|during|from)\s+(?:an?\s+|the\s+)?"
    rf"(?P<agent>(?:[A-Z][\w.'’]*(?:{_LED})?\s+){{0,2}}[A-Z][\w.'’]*(?:{_LED})?(?:\s+coalition)?|coalition)"
    rf"\s+{_ATTACK_NOUNS}\b")
# The full name of a coalition or force an article gives once ("The US-led coalition").
_NAMED_FORCE = re.compile(rf"\b((?:[A-Z][\w.'’]*{_LED}|[A-Z][\w.'’]*)\s+(?:coalition|forces|alliance))\b")


def _attack_agent(sentence: str, sentence_start: int, entities: list[dict] | None,
                  body: str | None) -> dict | None:
    match = _ATTACK_AGENT.search(sentence)
    if not match:
        return None
    agent = match.group("agent")
    if agent.lower() in ("the", "a", "an") or agent.split()[0].lower() in MONTHS or agent.split()[0].lower() in WEEKDAYS:
        return None
    start = sentence_start + match.start("agent")
    text, span = agent, (start, start + len(agent))
    # Resolve to the article's fuller name of that force: "US-led" or "coalition" -> "US-led coalition".
    if body and (agent.endswith(("-led", "-backed")) or agent == "coalition"):
        for named in _NAMED_FORCE.finditer(body):
            name = named.group(1)
            head = name.split()[0]
            if (agent == "coalition" and name.endswith("coalition") and re.search(_LED + "$", head)) \
                    or (agent != "coalition" and head == agent):
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
_NATIONALITY_ENDINGS = ("ian", "ean", "ese", "ish", "i", "an", "ch")


def locations_of(sentence: str, sentence_start: int, entities: list[dict] | None) -> list[dict]:
    """Places named in the figure's sentence: the NER stage's places, else capitalised names after
    a locative preposition (then unlinked)."""
    if entities is not None:
        places = [place for place in _overlapping(entities, sentence_start, sentence_start + len(sentence), _PLACE_LABELS)
                  if not _place_modifier(sentence, place.get("end", 0) - sentence_start)]
        seen, result = set(), []
        for place in places:
            key = place.get("id") or place.get("text")
            if key in seen:
                continue
            seen.add(key)
            result.append({"text": place.get("text"), "entity_id": place.get("id"),
                           "canonical": place.get("canonical"), "country": place.get("country")})
        return result
    return [{"text": m.group(1), "entity_id": None, "canonical": None, "country": None}
            for m in _PLACE_AFTER_PREPOSITION.finditer(sentence)
            if m.group(1).lower() not in MONTHS and m.group(1).lower() not in WEEKDAYS
            and not _MODIFIER_SUFFIX.search(m.group(1))][:5]


# A place name glued to these describes someone, not where it happened: "US-led strikes" (who
# struck), "a London-based group" (who counts), "Iranian-backed militia".
_MODIFIER_SUFFIX = re.compile(r"-(?:led|backed|based|born|made|funded|supported|sponsored|trained|"
                              r"brokered|owned|run|registered|headquartered|allied|aligned)\b", re.IGNORECASE)


def _place_modifier(sentence: str, end: int) -> bool:
    """Whether the place ending at ``end`` (in the sentence) is a modifier like "US-led"."""
    try:
        return bool(_MODIFIER_SUFFIX.match(sentence, int(end)))
    except (TypeError, ValueError):
        return False
