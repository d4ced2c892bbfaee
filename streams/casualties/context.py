"""What surrounds a figure: when (date, period, cumulative), who says so, cause, perpetrator
and places. All of it is read from the figure's sentence with regexes, never a parser."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .lexicon import CAUSES, MONTHS, WEEKDAYS

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
# Cues that a toll covers a period rather than one incident ("603 since 2014", "so far this year").
_CUMULATIVE = re.compile(
    rf"\bsince\s+(?!then\b|yesterday\b|last\s+night\b|(?:early\s+|late\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    rf"|(?:died|been|passed|succumbed|recovered|released|fled|left|returned|gone|become|run|identified)\b)"
    rf"[^,.;]{{0,80}}"
    rf"|\bso\s+far\s+(?:this|in)\s+(?:year|month|{_YEAR})\b"
    rf"|\b(?:this|last|previous)\s+year\b|\bthe\s+(?:month|year)\s+of\b|\bin\s+the\s+month\s+of\b"
    rf"|\b(?:per|a|each|every)\s+year\b|\bannually\b|\bto\s+date\b"
    rf"|\b(?:in|over|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years|months|decades?|year)\b"
    rf"|\bin\s+recent\s+(?:years|months)\b|\b(?:in|during|throughout)\s+{_YEAR}\b(?!\s*,?\s*\d)"
    rf"|\b(?:{_MONTH_NAMES})\s+alone\b|\bsince\s+the\s+(?:start|beginning|outbreak)\b",
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


def cause_of(sentence: str) -> str | None:
    lowered = sentence.lower()
    for cause, cues in CAUSES:
        if any(re.search(r"\b" + re.escape(cue), lowered) for cue in cues):
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


def perpetrator_of(sentence: str, sentence_start: int, entities: list[dict] | None) -> dict | None:
    """Who did it, from "by X" or the subject of an active killing verb, linked to an entity."""
    match = _PERPETRATOR_BY.search(sentence) or _ACTIVE_SUBJECT.search(sentence)
    if not match:
        return None
    text = match.group(1).strip()
    if not text or text.lower() in ("the", "a", "an"):
        return None
    start = sentence_start + match.start(1)
    linked = _overlapping(entities or [], start, start + len(match.group(1)), _PERPETRATOR_LABELS)
    return {"text": text, "entity_id": linked[0].get("id") if linked else None}


def locations_of(sentence: str, sentence_start: int, entities: list[dict] | None) -> list[dict]:
    """Places named in the figure's sentence: the NER stage's places, else capitalised names after
    a locative preposition (then unlinked)."""
    if entities is not None:
        places = _overlapping(entities, sentence_start, sentence_start + len(sentence), _PLACE_LABELS)
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
            if m.group(1).lower() not in MONTHS and m.group(1).lower() not in WEEKDAYS][:5]
