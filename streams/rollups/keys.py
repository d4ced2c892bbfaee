"""Keys: which figures count, the dedup key of an incident, the row (place or country) a figure belongs to.

How an incident is counted once
-------------------------------
A casualty figure enters the totals only when the extractor marks it `in_incident_total` (the figures that make
up the article's own `summary.killed` / `summary.injured`); cumulative tallies such as "603 civilians killed
since 2014" are kept in the latest-figures list and on the `casualties` topic, but never summed, since adding
tallies of different periods and sources means nothing.

Figures are deduplicated across articles by the key `(place, day, outcome, count)`:
- place: the figure's place key on the `casualties` topic (its first linked place, else `country:XX`). A figure
  with no place at all cannot be matched with another article's, so its key carries the article id instead and
  it is counted once per article.
- day: the incident day, i.e. the figure's own `date` when the extractor resolved one ("on Monday" in an article
  of Tuesday), else the day of the article's `published_at`, else the day the pipeline processed it. Using the
  incident day rather than only the publication day lets a follow-up published the next day match the first
  report whenever the date is stated.
- outcome: killed, injured, ...
- count: the lower bound `count.min`, so "29 killed" and "at least 29 killed" are the same report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from streams.contract.events import CasualtyFigureEvent, EnrichedArticle
from streams.rollups.windows import iso_day

ACTOR_LABELS = ("ORG", "PERSON", "NORP")
PLACE_LABELS = ("GPE", "LOC", "FAC")
UNKNOWN = "unknown"
SCOPES = ("place", "country")


def incident_day(figure_event: CasualtyFigureEvent) -> str:
    """The day an incident is filed under: the figure's date, else the article's, else when it was processed."""
    figure, article = figure_event.get("figure") or {}, figure_event.get("article") or {}
    return (
        iso_day(figure.get("date"))
        or iso_day(article.get("published_at"))
        or iso_day((figure_event.get("meta") or {}).get("processed_at"))
        or datetime.now(UTC).date().isoformat()
    )


def counts_toward_totals(figure_event: CasualtyFigureEvent) -> bool:
    figure = figure_event.get("figure") or {}
    return bool(figure.get("in_incident_total")) and isinstance((figure.get("count") or {}).get("min"), int)


def dedup_key(figure_event: CasualtyFigureEvent) -> str:
    """`place|day|outcome|count.min`; a figure without a place is matched only within its own article."""
    figure = figure_event["figure"]
    place = figure_event.get("place_key") or UNKNOWN
    if place == UNKNOWN:
        place = f"{UNKNOWN}/{figure_event.get('article_id')}"
    return "|".join((place, incident_day(figure_event), figure.get("outcome") or UNKNOWN, str(figure["count"]["min"])))


def figure_id(figure_event: CasualtyFigureEvent) -> str:
    """The figure's event id, the order by which the reports of one incident pick their representative."""
    return str(figure_event.get("event_id") or "")


def country_of(figure_event: CasualtyFigureEvent) -> str:
    return figure_event.get("country") or UNKNOWN


def row_key(figure_event: CasualtyFigureEvent, scope: str) -> str:
    """The rollup row a figure belongs to: its place key, or its country."""
    return (figure_event.get("place_key") or UNKNOWN) if scope == "place" else country_of(figure_event)


def place_name(figure_event: CasualtyFigureEvent) -> str:
    """Human name of the figure's place key, from the location it was derived from."""
    key = figure_event.get("place_key") or UNKNOWN
    for location in (figure_event.get("figure") or {}).get("locations") or []:
        if location.get("entity_id") == key:
            return location.get("canonical") or location.get("name") or location.get("text") or key
    return key


def entity_key(entity: Mapping[str, Any]) -> str:
    return f"{entity['label']}|{entity.get('id') or entity.get('canonical')}"


def publication_day(enriched: EnrichedArticle) -> str | None:
    """The day an article's mentions are filed under: its `published_at`, else when it was processed."""
    return iso_day(enriched.get("published_at")) or iso_day((enriched.get("meta") or {}).get("processed_at"))
