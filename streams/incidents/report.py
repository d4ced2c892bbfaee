"""An enriched article's incident report: the few facts the incident matcher compares, as a plain dict.

The report is a pure function of the enriched event, so a replayed article yields the same report. It keeps
what one article says about its own incident: the incident toll (`summary`), the incident place and region, the
incident day, the named victims, the entities, a bounded bag of words for text similarity (the title counted
twice, the body's prose lines only: menus, captions and video lists are no evidence of the incident), and two
cues read in the title and the first lines: `fresh` (the article tells the incident as news: a weekday, today,
overnight) and `aftermath` (it tells what followed: a charge, a trial, a sentence, an anniversary).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

TOLL_OUTCOMES = ("killed", "injured")
PLACE_LABELS = ("GPE", "LOC", "FAC")
# Entities that identify an incident across reports (dates and numbers do not).
IDENTITY_LABELS = ("PERSON", "ORG", "FAC", "GPE", "LOC", "EVENT", "NORP")
UNKNOWN_REGION = "unknown"
# Words of an explicit revision of a toll ("the death toll rose to 15", "a second victim later died").
UPDATE_CUES = re.compile(
    r"\b(rose|risen|rises|rising|climbed|climbs|increased|jumped|has grown|now stands|later died|died later"
    r"|has since died|have since died|succumbed|updated|revised)\b",
    re.IGNORECASE,
)
# News of the incident itself: the day it happened named relative to the report.
FRESH_CUES = re.compile(
    r"\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|today|tonight|yesterday"
    r"|this (morning|afternoon|evening)|overnight|last night|breaking)\b",
    re.IGNORECASE,
)
# What followed the incident: the justice process, or the incident told as the past.
AFTERMATH_CUES = re.compile(
    r"\b(charged|charges?|charging|sentenced|sentencing|sentence|trial|court|courtroom|pleads?|pleaded|plea"
    r"|guilty|convicted|conviction|jury|jurors|arraign\w*|indict\w*|testif\w*|testimony|mistrial"
    r"|lawsuit|sues|sued|anniversary|judge|prosecutors?|death penalty|bond|bail|extradit\w*"
    r"|(years?|months?|weeks?) (ago|after|later|since)|last (year|month)|remembered|memorial|unsolved|cold case"
    r"|ruled)\b",
    re.IGNORECASE,
)
# The words every casualty report uses, whatever its incident: no evidence that two reports tell the same one.
# (Where a region holds many incidents their idf says so; a region that holds a few has no idf to speak of.)
REPORT_WORDS = frozenset(
    "said says police officers officer killed kill killing killings dead death deaths died dies dying shot shots"
    " shooting shootings shooter fired firing gunfire gun guns gunman gunmen gunshot gunshots injured injuries"
    " injury injuring wounded wounds wound wounding hurt hospital hospitalized people person man men woman women"
    " victim victims suspect suspects scene investigation investigating investigators incident according"
    " reported reports told news year years old authorities officials spokesman spokeswoman department"
    " two three four five six seven eight nine ten".split()
)
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
TEXT_CHARS = 3000  # the lead of a page names its incident; the rest is often page furniture
PROSE_WORDS = 10  # a body line of fewer words is page furniture (a menu, a caption, a video title)
TITLE_WEIGHT = 2  # the title names the incident in the fewest words
CUE_CHARS = 300  # how much of the prose after the title the fresh and aftermath cues are read in
MAX_TERMS = 80
VICTIM_REACH = 150  # characters around a figure's sentence in which a named person counts as its victim


def incident_report(enriched: dict, region_level: str = "country") -> dict:
    """The incident report of one enriched article (`streams enrich` output or an `articles.enriched` value);
    `region_level` ("country" or "admin1") is how finely the incident state is partitioned. By country: one
    place in eight on the GVA pages has the wrong admin1 or none, and an admin1-keyed state can never join
    them (docs/incidents.md); admin1 is compared by the matcher instead."""
    figures = [f for f in enriched.get("casualties") or [] if f.get("in_incident_total") and not f.get("cumulative")]
    place = article_place(enriched, figures)
    meta = enriched.get("meta") or {}
    lead = prose_lead(enriched.get("body") or "")
    cue_text = f"{enriched.get('title') or ''} . {lead[:CUE_CHARS]}"
    return {
        "article_id": str(enriched["id"]),
        "event_id": meta.get("event_id") or str(enriched["id"]),
        "revision": int(enriched.get("revision") or 0),
        "published_at": enriched.get("published_at"),
        "title": enriched.get("title"),
        "source": enriched.get("source"),
        "url": enriched.get("url"),
        "toll": stated_toll(enriched.get("summary") or {}, figures),
        "figures": [f["id"] for f in figures if f.get("id")],
        "evidence": _evidence(figures),
        "place": place,
        "region": region_key(place, region_level),
        "day": incident_day(figures, enriched.get("published_at")),
        "victims": named_victims(enriched, figures),
        "terms": text_terms(enriched, lead),
        "fresh": bool(FRESH_CUES.search(cue_text)),
        "aftermath": bool(AFTERMATH_CUES.search(cue_text)),
    }


def stated_toll(summary: dict, figures: list[dict]) -> dict:
    """{outcome: {min, max, update}} for each outcome the article states (a missing or zero toll is not stated).

    Killed and injured come from the summary (the article's incident toll); other outcomes (arrested, missing,
    ...) from the largest in-incident figure of that outcome. `update`: a figure of the outcome says the toll
    was revised, so it supersedes earlier reports.
    """
    toll: dict[str, dict] = {}
    for outcome in TOLL_OUTCOMES:
        value = summary.get(outcome) or {}
        if (value.get("min") or 0) > 0:
            toll[outcome] = {"min": int(value["min"]), "max": value.get("max")}
    for figure in figures:
        other, count = figure.get("outcome"), figure.get("count") or {}
        if other in TOLL_OUTCOMES or not other or (count.get("min") or 0) <= 0:
            continue
        if other not in toll or count["min"] > toll[other]["min"]:
            toll[other] = {"min": int(count["min"]), "max": count.get("max")}
    for outcome, value in toll.items():
        value["update"] = any(f.get("outcome") == outcome and UPDATE_CUES.search(_sentence(f)) for f in figures)
    return toll


def _sentence(figure: dict) -> str:
    return (figure.get("evidence") or {}).get("sentence") or ""


def _evidence(figures: list[dict]) -> list[str]:
    """The distinct sentences stating the article's toll, in order (at most three)."""
    sentences: list[str] = []
    for figure in figures:
        sentence = _sentence(figure)
        if sentence and sentence not in sentences:
            sentences.append(sentence[:500])
    return sentences[:3]


def article_place(enriched: dict, figures: list[dict]) -> dict | None:
    """The incident place: `summary.place` when the event has one, else the first place linked to a figure of
    the incident toll, else the first place entity with a country (what events without `summary.place` carry)."""
    place = (enriched.get("summary") or {}).get("place")
    if place:
        return place
    by_id = {e.get("id"): e for e in enriched.get("entities") or [] if e.get("label") in PLACE_LABELS}
    for figure in figures:
        for location in figure.get("locations") or []:
            entity = by_id.get(location.get("entity_id")) or {}
            if location.get("country") or entity.get("country"):
                return _place_from(location | {k: v for k, v in entity.items() if v is not None})
    for entity in enriched.get("entities") or []:
        if entity.get("label") in PLACE_LABELS and entity.get("country"):
            return _place_from(entity)
    return None


def _place_from(mention: dict) -> dict:
    """A `summary.place`-shaped dict from an entity or a figure location."""
    admin1 = mention.get("admin1")
    return {
        "name": mention.get("canonical") or mention.get("text"),
        "entity_id": mention.get("entity_id") or mention.get("id"),
        "country": mention.get("country"),
        "admin1": admin1 if isinstance(admin1, dict) else ({"name": admin1, "code": None} if admin1 else None),
        "admin2": mention.get("admin2"),
        "lat": mention.get("lat"),
        "lon": mention.get("lon"),
        "precision": mention.get("precision") or ("locality" if mention.get("lat") is not None else None),
    }


def region_key(place: dict | None, level: str = "country") -> str:
    """The partition of the incident state: the country ("US"), or with `level` "admin1" the country and
    first-level region ("US/US-IN") when it is known; `unknown` without a country."""
    if not place or not place.get("country"):
        return UNKNOWN_REGION
    admin1 = place.get("admin1") or {}
    code = admin1.get("code") or admin1.get("name") if level == "admin1" else None
    return f"{place['country']}/{code}" if code else str(place["country"])


def incident_day(figures: list[dict], published_at: Any) -> str | None:
    """The incident day: the date most figures of the toll resolved (not after publication), else the
    publication day."""
    published = _day(published_at)
    days = Counter(d for d in (_day(f.get("date")) for f in figures) if d and (published is None or d <= published))
    if days:
        return max(days.items(), key=lambda item: (item[1], item[0]))[0]
    return published


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def named_victims(enriched: dict, figures: list[dict]) -> list[str]:
    """Person entity ids (full names) named in or right around the sentences of the toll: the victims, usually.
    An article without a toll (an arrest, a trial) names the incident by its people: all full names of its lead."""
    spans = [((f.get("evidence") or {}).get("start"), (f.get("evidence") or {}).get("end")) for f in figures]
    reach = [(start - VICTIM_REACH, end + VICTIM_REACH) for start, end in spans if start is not None and end]
    if not figures:
        reach = [(0, TEXT_CHARS)]
    names = {
        e["id"]
        for e in enriched.get("entities") or []
        if e.get("label") == "PERSON"
        and e.get("id")
        and " " in (e.get("canonical") or "")
        and any(lo <= e["start"] < hi for lo, hi in reach)
    }
    return sorted(names)


def prose_lead(body: str, chars: int = TEXT_CHARS) -> str:
    """The first `chars` characters of the body's prose: its lines of at least PROSE_WORDS words."""
    lines, size = [], 0
    for line in body.split("\n"):
        if len(line.split()) >= PROSE_WORDS:
            lines.append(line)
            size += len(line) + 1
            if size >= chars:
                break
    return " ".join(lines)[:chars]


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS and word not in REPORT_WORDS]


def text_terms(enriched: dict, lead: str | None = None) -> dict[str, int]:
    """A bounded bag of words of the title (TITLE_WEIGHT times) and the prose lead, plus the identity
    entities as `e:<id>` terms."""
    if lead is None:
        lead = prose_lead(enriched.get("body") or "")
    words = Counter(_words(lead))
    for word in _words(enriched.get("title") or ""):
        words[word] += TITLE_WEIGHT
    for entity in (enriched.get("summary") or {}).get("entities") or []:
        if entity.get("label") in IDENTITY_LABELS and entity.get("first_offset", 0) < TEXT_CHARS:
            words["e:" + entity["id"]] += min(int(entity.get("mentions") or 1), 5)
    return dict(sorted(words.items(), key=lambda item: (-item[1], item[0]))[:MAX_TERMS])
