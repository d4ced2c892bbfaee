"""The records the rollup tables keep: incidents (dedup key -> one incident, its reports joined), articles (article
id -> a bounded copy of its latest enriched event) and figure summaries (place key -> the newest figures).

The incidents table
-------------------
Dedup key (`streams.rollups.keys`) -> a compact incident record (place key and name, country, outcome,
`count.min`, victim type, incident day, report time = the Kafka timestamp of the earliest `casualties` record that
brought it, and the id of the figure that represents it). A new report is joined with the stored record
(`join_incidents`): the attributes of the report with the smallest figure id, the earliest report time, a function
of the set of reports seen, so a replay (delivery is at-least-once) gives the same value and a later report of a
counted incident is a duplicate that never adds to the totals. The smallest figure id, rather than the first
report, picks the victim type and place name because reports of one incident from articles in different
`articles.raw` partitions arrive in an order that depends on timing and crashes. Totals are sums of `count.min`,
i.e. lower bounds.

The articles table
------------------
Article id -> the bounded part of its enriched event and what the mention counts need: the actors and places it
mentions, its publication day and its report time. A replay of the same version (same `meta.event_id`) keeps the
stored record; a new version replaces it and moves its counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypedDict

from streams.contract.events import CasualtyFigure, CasualtyFigureEvent, Count, EnrichedArticle
from streams.rollups.keys import (
    ACTOR_LABELS,
    PLACE_LABELS,
    UNKNOWN,
    counts_toward_totals,
    entity_key,
    figure_id,
    incident_day,
    place_name,
    publication_day,
    row_key,
)

LATEST_FIGURES_PER_PLACE = 5
ARTICLE_MAX_FIGURES = 50
ARTICLE_MAX_ENTITIES = 50
ARTICLE_MAX_MENTIONS = 500


class IncidentRecord(TypedDict):
    """A value of the incidents table."""

    place: str
    name: str
    country: str | None
    outcome: str
    count: int
    victim_type: str
    day: str
    reported_at: float
    figure_id: str


class Mention(TypedDict):
    """One actor or place an article mentions, tagged with the article version (`mention_events`)."""

    label: str
    id: str | None
    canonical: str | None
    country: str | None
    event_id: str | None
    day: str | None


class MentionedEntity(TypedDict):
    """One entity of an article record's `mentions`: the row key of its mention counts and its shown fields."""

    key: str
    label: str
    id: str | None
    canonical: str | None
    country: str | None


class Mentions(TypedDict):
    day: str | None
    reported_at: float | None
    entities: list[MentionedEntity]


class ArticleRecord(TypedDict):
    """A value of the articles table (also the `/api/articles/{id}` answer)."""

    id: Any
    title: Any
    source: Any
    url: Any
    published_at: Any
    summary: dict[str, Any]
    casualties: list[CasualtyFigure]
    meta: Any
    mentions: Mentions


class FigureSummary(TypedDict):
    """One figure of the latest-figures table, as the dashboard shows it."""

    id: str
    article_id: str | None
    place_key: str | None
    place: str
    country: str | None
    outcome: str | None
    count: Count | None
    victim_type: str | None
    cumulative: bool | None
    counted: bool
    day: str
    evidence: str | None
    source: str | None
    url: str | None
    title: str | None
    processed_at: str | None


# ---- incidents -----------------------------------------------------------------------------------------------


def incident_record(figure_event: CasualtyFigureEvent, reported_at: float) -> IncidentRecord:
    """The incident record one report makes: what the totals need, and `reported_at`, the Kafka timestamp of the
    `casualties` record that brought it."""
    figure = figure_event["figure"]
    return {
        "place": row_key(figure_event, "place"),
        "name": place_name(figure_event),
        "country": figure_event.get("country"),
        "outcome": figure.get("outcome") or UNKNOWN,
        "count": figure["count"]["min"],
        "victim_type": figure.get("victim_type") or UNKNOWN,
        "day": incident_day(figure_event),
        "reported_at": reported_at,
        "figure_id": figure_id(figure_event),
    }


def join_incidents(stored: IncidentRecord | None, record: IncidentRecord) -> IncidentRecord:
    """The stored incident after one more report (`record`, from `incident_record`).

    The attributes (victim type, place name) are those of the report with the smallest figure id, the report
    time the earliest seen: a function of the set of reports, whatever their order and however often each comes
    (commutative, associative, idempotent). Reports of one incident from articles in different partitions of
    `articles.raw` reach the rollup in an order that depends on timing and on crashes, so "the first report"
    would not be reproducible; this is.
    """
    if stored is None:
        return record
    first = record if record["figure_id"] < stored["figure_id"] else stored
    return {**first, "reported_at": min(stored["reported_at"], record["reported_at"])}


# ---- latest figures ------------------------------------------------------------------------------------------


def figure_summary(figure_event: CasualtyFigureEvent) -> FigureSummary:
    """The compact form of a figure kept in the latest-figures table and shown on the dashboard."""
    figure, article = figure_event["figure"], figure_event.get("article") or {}
    return {
        "id": figure_event["event_id"],
        "article_id": figure_event.get("article_id"),
        "place_key": figure_event.get("place_key"),
        "place": place_name(figure_event),
        "country": figure_event.get("country"),
        "outcome": figure.get("outcome"),
        "count": figure.get("count"),
        "victim_type": figure.get("victim_type"),
        "cumulative": figure.get("cumulative"),
        "counted": counts_toward_totals(figure_event),
        "day": incident_day(figure_event),
        "evidence": (figure.get("evidence") or {}).get("sentence"),
        "source": article.get("source"),
        "url": article.get("url"),
        "title": article.get("title"),
        "processed_at": (figure_event.get("meta") or {}).get("processed_at"),
    }


def push_latest(
    latest: list[FigureSummary] | None, summary: FigureSummary, limit: int = LATEST_FIGURES_PER_PLACE
) -> list[FigureSummary]:
    """Newest first, at most `limit`, each figure id once (a replay does not push it again)."""
    others = [item for item in latest or [] if item["id"] != summary["id"]]
    return [summary, *others][:limit]


def newest_figures(lists: Iterable[list[FigureSummary]], limit: int) -> list[FigureSummary]:
    items = [item for latest in lists for item in latest]
    return sorted(items, key=lambda item: item.get("processed_at") or "", reverse=True)[:limit]


# ---- articles and their mentions -----------------------------------------------------------------------------


def article_record(enriched: EnrichedArticle, reported_at: float | None = None) -> ArticleRecord:
    """The bounded part of an enriched event kept per article id: no body, capped lists, and what the mention
    counts need (`mentions`: the actors and places mentioned, each once, the publication day, the report time)."""
    summary: dict[str, Any] = dict(enriched.get("summary") or {})
    summary["entities"] = (summary.get("entities") or [])[:ARTICLE_MAX_ENTITIES]
    entities: dict[str, MentionedEntity] = {}
    for key, mention in mention_events(enriched):
        if key not in entities and len(entities) < ARTICLE_MAX_MENTIONS:
            entities[key] = {
                "key": key,
                "label": mention["label"],
                "id": mention["id"],
                "canonical": mention["canonical"],
                "country": mention["country"],
            }
    day = publication_day(enriched)
    if day is None and reported_at is not None:
        day = datetime.fromtimestamp(reported_at, UTC).date().isoformat()
    return {
        "id": enriched.get("id"),
        "title": enriched.get("title"),
        "source": enriched.get("source"),
        "url": enriched.get("url"),
        "published_at": enriched.get("published_at"),
        "summary": summary,
        "casualties": (enriched.get("casualties") or [])[:ARTICLE_MAX_FIGURES],
        "meta": enriched.get("meta"),
        "mentions": {"day": day, "reported_at": reported_at, "entities": list(entities.values())},
    }


def same_article_version(stored: ArticleRecord | None, record: ArticleRecord) -> bool:
    """True when `record` is a replay of the stored version (same `meta.event_id`): it must change nothing."""
    if not stored or "mentions" not in stored:
        return False
    event_id = (record.get("meta") or {}).get("event_id")
    return event_id is not None and (stored.get("meta") or {}).get("event_id") == event_id


def mention_events(enriched: EnrichedArticle) -> Iterator[tuple[str, Mention]]:
    """(entity key, mention) for each actor or place the article mentions, tagged with the article version."""
    meta, day = enriched.get("meta") or {}, publication_day(enriched)
    for entity in (enriched.get("summary") or {}).get("entities") or []:
        if entity.get("label") in ACTOR_LABELS + PLACE_LABELS:
            yield (
                entity_key(entity),
                {
                    "label": entity["label"],
                    "id": entity.get("id"),
                    "canonical": entity.get("canonical"),
                    "country": entity.get("country"),
                    "event_id": meta.get("event_id"),
                    "day": day,
                },
            )


def top_entities(rows: Iterable[dict], labels: Iterable[str], limit: int) -> list[dict]:
    wanted = set(labels)
    chosen = [row for row in rows if row.get("label") in wanted]
    return sorted(chosen, key=lambda row: (-row["articles"], row.get("canonical") or ""))[:limit]
