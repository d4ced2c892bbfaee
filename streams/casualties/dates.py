"""When a figure happened: the incident's day, or the period a cumulative toll covers ("603 since
2014", "in June alone"), read from its sentence with regexes and the publication date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from streams.casualties.knowledge import knowledge
from streams.casualties.lexicon import MONTHS, WEEKDAYS
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
    re.IGNORECASE,
)
_SUPERLATIVE = re.compile(
    r"\b(?:deadliest|worst|bloodiest|biggest|largest|first|highest|most\s+\w+|"
    r"heaviest|latest|fiercest)\b[^.;]*$",
    re.IGNORECASE,
)
# Clause openers: a period cue in one clause does not date a figure in another
# ("seven were shot dead ..., where an insurgency has left dozens killed in recent years").
CLAUSE_BREAK = re.compile(
    r";|,\s*(?=(?:where|which|who|whereas|while|but|bringing|raising|taking|"
    r"pushing|adding|although|though)\b)|\s(?=(?:where|which|whereas)\s)",
    re.IGNORECASE,
)
_SINCE_YEAR = re.compile(rf"\b({_YEAR})\b")
_MONTH_OF = re.compile(rf"\b(?:month\s+of\s+)?({_MONTH_NAMES})\b(?:\s+({_YEAR}))?", re.IGNORECASE)

_EXPLICIT_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s*({_YEAR})?\b", re.IGNORECASE)
_EXPLICIT_DATE_MDY = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*({_YEAR}))?", re.IGNORECASE
)
_WEEKDAY = re.compile(rf"\b(?:on\s+|last\s+)?({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
# Days named relative to publication, and how many days back they are ("yesterday": 1).
_RELATIVE_DAYS = knowledge().calendar.relative_days
_RELATIVE_DAY = re.compile(
    r"\b(" + "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in _RELATIVE_DAYS) + r")\b", re.IGNORECASE
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


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
            sentence[max(0, candidate.start() - 60) : candidate.start()]
        ):
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
                year_number = published.year - 1  # "in December alone", published in March: the December before
            if year_number:
                last_day = calendar.monthrange(year_number, month_number)[1]
                return {
                    "text": text,
                    "start": date(year_number, month_number, 1).isoformat(),
                    "end": date(year_number, month_number, last_day).isoformat(),
                }
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
            back = _RELATIVE_DAYS.get(" ".join(relative.group(1).lower().split()), 0)
            return (published - timedelta(days=back)).isoformat()
    except (ValueError, OverflowError):
        return None
    return None


_SPLIT = re.compile(
    r"\b(?:fatalities|fatality|deaths|toll|coded\s+as\s+\d+)\b[^.;\]]{0,40}?\b(?:split|spread)\s+(?:up\s+|out\s+)?"
    r"(?:between|across|among|amongst)\s+(\w+)\s+(?:events|locations|incidents)\b(?:\s*\((\d+)\))?",
    re.IGNORECASE,
)


def split_across_events(text: str) -> tuple[int, int | None] | None:
    """ "Fatalities split between 2 events", "split across 4 events (2)": the article's toll is
    shared among N coded events; (N, this event's stated share or None)."""
    match = _SPLIT.search(text)
    if not match:
        return None
    parsed = parse_number([match.group(1).lower()], 0)
    if parsed is None or parsed[2] or not 2 <= parsed[0] <= 100:
        return None
    return parsed[0], int(match.group(2)) if match.group(2) else None
