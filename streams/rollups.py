"""Live rollups in faust tables: casualty totals by place and country, entity mentions, latest articles.

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
The first article to report an incident contributes its victim type and place name; later reports of the same
key are counted as duplicates. Delivery is at-least-once, so a replayed article produces the same figures and
the same keys and is counted as a duplicate too: the seen keys live in changelog-backed tables, so a restarted
worker still knows them. Totals are sums of `count.min`, i.e. lower bounds.

Windows
-------
- `1d`: tumbling days by incident day (the dedup day above): the per-day time series, kept indefinitely.
- `24h`, `7d`: hopping windows by report time (the Kafka timestamp at which the worker published the figure),
  stepping by an hour and a day: what was reported in the last day or week, whatever the incident dates.
Entity mentions use the same windows, with the article's publication day for `1d`, and count the articles
that mention an entity (each article version, `meta.event_id`, once).

Partitioning
------------
Every table is written only by an agent whose input topic is keyed like the table, with concurrency 1 (faust
#606): place tables from the `casualties` topic (keyed by place), country tables from a faust repartition topic
(`group_by` country), mention counts from an internal topic keyed by entity, the article table from
`articles.enriched` (keyed by article id). Dedup is repeated in each keyed agent, so forwarding never needs to be
exactly-once. With several workers each holds only its partitions: `/api/articles/{id}` is routed to the owner
of the key (`app.table_route`); the aggregate endpoints answer for the partitions of the worker asked (they say
which), so run one worker for a complete picture or add up the answers of all workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator

import faust

from . import codec, metrics
from .config import Settings

HOUR = 3600.0
DAY = 24 * HOUR
ACTOR_LABELS = ("ORG", "PERSON", "NORP")
PLACE_LABELS = ("GPE", "LOC", "FAC")
UNKNOWN = "unknown"
LATEST_FIGURES_PER_PLACE = 5
ARTICLE_MAX_FIGURES = 50
ARTICLE_MAX_ENTITIES = 50


@dataclass(frozen=True)
class WindowSpec:
    """One API window: `clock` says which time places an event in it ("incident" day or "report" time)."""

    name: str
    size: float
    step: float
    expires: float | None
    clock: str

    def faust_window(self) -> faust.HoppingWindow:
        return faust.HoppingWindow(self.size, self.step, expires=self.expires)

    def current_start(self, now: float) -> float:
        """Start of the full window that ends in the current step: "the last 24 hours" as of `now`."""
        return self.faust_window().earliest(now)[0]


WINDOWS: dict[str, WindowSpec] = {
    "1d": WindowSpec("1d", DAY, DAY, None, "incident"),
    "24h": WindowSpec("24h", DAY, HOUR, 2 * DAY, "report"),
    "7d": WindowSpec("7d", 7 * DAY, DAY, 8 * DAY, "report"),
}


# ---- pure functions ------------------------------------------------------------------------------------------

def iso_day(value: Any) -> str | None:
    """The YYYY-MM-DD day of an ISO date or datetime string, or None when it is not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def day_timestamp(day: str) -> float:
    """Seconds since the epoch of midnight UTC starting `day`."""
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()


def incident_day(figure_event: dict) -> str:
    """The day an incident is filed under: the figure's date, else the article's, else when it was processed."""
    figure, article = figure_event.get("figure") or {}, figure_event.get("article") or {}
    return (iso_day(figure.get("date")) or iso_day(article.get("published_at"))
            or iso_day((figure_event.get("meta") or {}).get("processed_at"))
            or datetime.now(timezone.utc).date().isoformat())


def counts_toward_totals(figure_event: dict) -> bool:
    figure = figure_event.get("figure") or {}
    return bool(figure.get("in_incident_total")) and isinstance((figure.get("count") or {}).get("min"), int)


def dedup_key(figure_event: dict) -> str:
    """`place|day|outcome|count.min`; a figure without a place is matched only within its own article."""
    figure = figure_event["figure"]
    place = figure_event.get("place_key") or UNKNOWN
    if place == UNKNOWN:
        place = f"{UNKNOWN}/{figure_event.get('article_id')}"
    return "|".join((place, incident_day(figure_event), figure.get("outcome") or UNKNOWN,
                     str(figure["count"]["min"])))


def country_of(figure_event: dict) -> str:
    return figure_event.get("country") or UNKNOWN


def row_key(figure_event: dict, scope: str) -> str:
    """The rollup row a figure belongs to: its place key, or its country."""
    return (figure_event.get("place_key") or UNKNOWN) if scope == "place" else country_of(figure_event)


def place_name(figure_event: dict) -> str:
    """Human name of the figure's place key, from the location it was derived from."""
    key = figure_event.get("place_key") or UNKNOWN
    for location in (figure_event.get("figure") or {}).get("locations") or []:
        if location.get("entity_id") == key:
            return location.get("canonical") or location.get("text") or key
    return key


def contribution(figure_event: dict, scope: str) -> dict:
    """What one counted figure adds to a rollup row of `scope` ("place" or "country")."""
    figure = figure_event["figure"]
    total = figure["count"]["min"]
    name = place_name(figure_event) if scope == "place" else country_of(figure_event)
    return {"name": name, "country": figure_event.get("country"),
            "outcomes": {figure.get("outcome") or UNKNOWN: {
                "total": total, "incidents": 1,
                "victim_types": {figure.get("victim_type") or UNKNOWN: total}}}}


def merge(current: Any, delta: Any) -> Any:
    """Add `delta` into `current`: numbers add up, dicts merge key by key, anything else keeps the first value."""
    if current is None:
        return delta
    if isinstance(current, dict) and isinstance(delta, dict):
        merged = dict(current)
        for key, value in delta.items():
            merged[key] = merge(current.get(key), value)
        return merged
    if isinstance(current, (int, float)) and isinstance(delta, (int, float)):
        return current + delta
    return current


def rollup(figure_events: Iterable[dict], scope: str) -> dict[str, dict]:
    """Totals per place or country of a sequence of figure events, each incident once: the reference the
    tables must agree with (used by the tests against the `casualties` topic)."""
    seen: set[str] = set()
    totals: dict[str, dict] = {}
    for event in figure_events:
        if not counts_toward_totals(event) or dedup_key(event) in seen:
            continue
        seen.add(dedup_key(event))
        key = row_key(event, scope)
        totals[key] = merge(totals.get(key), contribution(event, scope))
    return totals


def select_outcome(row: dict, outcome: str | None) -> dict | None:
    """The row restricted to one outcome (None when it has none of it); the whole row when no outcome given."""
    if outcome is None:
        return row
    if outcome not in row.get("outcomes", {}):
        return None
    return {**row, "outcomes": {outcome: row["outcomes"][outcome]}}


def row_total(row: dict) -> int:
    return sum(values["total"] for values in row.get("outcomes", {}).values())


def windowed_rows(items: Iterable[tuple[Any, dict]], spec: WindowSpec, now: float,
                  outcome: str | None = None) -> list[dict]:
    """API rows from a windowed table's raw items `((key, (start, end)), value)`.

    `1d` gives one row per key and day (oldest day first); `24h`/`7d` one row per key for the window ending now
    (largest total first).
    """
    wanted = None if spec.clock == "incident" else spec.current_start(now)
    rows = []
    for (key, (start, _end)), value in items:
        if wanted is not None and abs(start - wanted) > 1:
            continue
        row = select_outcome(value, outcome)
        if row is None:
            continue
        row = {"key": key, **row}
        if spec.clock == "incident":
            row["day"] = datetime.fromtimestamp(start, timezone.utc).date().isoformat()
        rows.append(row)
    if spec.clock == "incident":
        return sorted(rows, key=lambda r: (r["day"], r["key"]))
    return sorted(rows, key=lambda r: (-row_total(r), r["key"]))


def figure_summary(figure_event: dict) -> dict:
    """The compact form of a figure kept in the latest-figures table and shown on the dashboard."""
    figure, article = figure_event["figure"], figure_event.get("article") or {}
    return {"id": figure_event["event_id"], "article_id": figure_event.get("article_id"),
            "place_key": figure_event.get("place_key"), "place": place_name(figure_event),
            "country": figure_event.get("country"), "outcome": figure.get("outcome"),
            "count": figure.get("count"), "victim_type": figure.get("victim_type"),
            "cumulative": figure.get("cumulative"), "counted": counts_toward_totals(figure_event),
            "day": incident_day(figure_event), "evidence": (figure.get("evidence") or {}).get("sentence"),
            "source": article.get("source"), "url": article.get("url"), "title": article.get("title"),
            "processed_at": (figure_event.get("meta") or {}).get("processed_at")}


def push_latest(latest: list[dict] | None, summary: dict, limit: int = LATEST_FIGURES_PER_PLACE) -> list[dict]:
    """Newest first, at most `limit`, each figure id once (a replay does not push it again)."""
    others = [item for item in latest or [] if item["id"] != summary["id"]]
    return [summary, *others][:limit]


def newest_figures(lists: Iterable[list[dict]], limit: int) -> list[dict]:
    items = [item for latest in lists for item in latest]
    return sorted(items, key=lambda item: item.get("processed_at") or "", reverse=True)[:limit]


def article_record(enriched: dict) -> dict:
    """The bounded part of an enriched event kept per article id: no body, capped lists."""
    summary = dict(enriched.get("summary") or {})
    summary["entities"] = (summary.get("entities") or [])[:ARTICLE_MAX_ENTITIES]
    return {**{name: enriched.get(name) for name in ("id", "title", "source", "url", "published_at")},
            "summary": summary, "casualties": (enriched.get("casualties") or [])[:ARTICLE_MAX_FIGURES],
            "meta": enriched.get("meta")}


def entity_key(entity: dict) -> str:
    return f"{entity['label']}|{entity.get('id') or entity.get('canonical')}"


def mention_events(enriched: dict) -> Iterator[tuple[str, dict]]:
    """(entity key, mention) for each actor or place the article mentions, tagged with the article version."""
    meta = enriched.get("meta") or {}
    day = iso_day(enriched.get("published_at")) or iso_day(meta.get("processed_at"))
    for entity in (enriched.get("summary") or {}).get("entities") or []:
        if entity.get("label") in ACTOR_LABELS + PLACE_LABELS:
            yield entity_key(entity), {"label": entity["label"], "id": entity.get("id"),
                                       "canonical": entity.get("canonical"), "country": entity.get("country"),
                                       "event_id": meta.get("event_id"), "day": day}


def mention_count(mention: dict) -> dict:
    return {"label": mention["label"], "id": mention["id"], "canonical": mention["canonical"],
            "country": mention.get("country"), "articles": 1}


def top_entities(rows: Iterable[dict], labels: Iterable[str], limit: int) -> list[dict]:
    wanted = set(labels)
    chosen = [row for row in rows if row.get("label") in wanted]
    return sorted(chosen, key=lambda row: (-row["articles"], row.get("canonical") or ""))[:limit]


# ---- faust wiring --------------------------------------------------------------------------------------------

def _incident_time(event: faust.EventT) -> float:
    return day_timestamp(incident_day(event.value)) + 1


def _mention_day_time(event: faust.EventT) -> float:
    day = event.value.get("day")
    return day_timestamp(day) + 1 if day else event.message.timestamp


@dataclass
class Rollups:
    """The tables behind the HTTP API (read by streams.web)."""

    casualties: dict[str, dict[str, Any]]      # scope -> window name -> faust WindowWrapper
    mentions: dict[str, Any]                   # window name -> faust WindowWrapper
    latest_figures: faust.Table                # place key -> newest figure summaries
    articles: faust.Table                      # article id -> article_record

    @staticmethod
    def raw_items(wrapper: Any) -> Iterable[tuple[Any, Any]]:
        """All windows of a windowed table held by this worker, as ((key, (start, end)), value)."""
        return wrapper.table.items()


def _windowed_tables(app: faust.App, prefix: str, help_text: str,
                     incident_clock: Callable[[faust.EventT], float]) -> dict[str, Any]:
    tables = {}
    for spec in WINDOWS.values():
        table = app.Table(f"{prefix}-{spec.name}", default=dict, help=f"{help_text}, {spec.name} windows",
                          schema=faust.Schema(key_serializer=codec.CODEC_NAME, value_serializer=codec.CODEC_NAME))
        windowed = table.using_window(spec.faust_window())
        tables[spec.name] = (windowed.relative_to(incident_clock) if spec.clock == "incident"
                             else windowed.relative_to_stream())
    return tables


def _keyed_table(app: faust.App, name: str, help_text: str, default: Callable[[], Any] | None = None) -> Any:
    return app.Table(name, default=default, help=help_text,
                     schema=faust.Schema(key_serializer="raw", value_serializer=codec.CODEC_NAME))


def _internal_topic(app: faust.App, settings: Settings, name: str) -> faust.TopicT:
    """A topic only this app reads and writes: faust creates it, named after the app id like its changelogs."""
    return app.topic(f"{settings.worker.app_id}-{name}", internal=True, partitions=settings.topics.partitions,
                     key_serializer="raw", value_serializer=codec.CODEC_NAME)


def register(app: faust.App, settings: Settings, casualties_topic: faust.TopicT,
             enriched_topic: faust.TopicT) -> Rollups:
    """Declare the rollup tables and the agents that keep them (all concurrency 1: they write tables)."""
    scopes = ("place", "country")
    casualty_tables = {scope: _windowed_tables(app, f"casualties-by-{scope}", f"casualty totals by {scope}",
                                               _incident_time) for scope in scopes}
    seen_incidents = {scope: _keyed_table(app, f"incidents-seen-by-{scope}",
                                          f"dedup keys of counted incidents, {scope}-partitioned")
                      for scope in scopes}
    latest_figures = _keyed_table(app, "latest-figures", "newest figures per place key", default=list)
    articles = _keyed_table(app, "articles", "latest enriched event per article id, without its body")
    mention_tables = _windowed_tables(app, "entity-mentions", "articles mentioning each entity", _mention_day_time)
    seen_mentions = _keyed_table(app, "mentions-seen", "entity key + article event id already counted")
    mentions_topic = _internal_topic(app, settings, "entity-mentions")
    by_country_topic = _internal_topic(app, settings, "casualties-by-country")
    casualties_name, enriched_name = casualties_topic.get_topic_name(), enriched_topic.get_topic_name()

    def count_incident(scope: str, figure_event: dict) -> None:
        if not counts_toward_totals(figure_event):
            result = "not_counted"
        elif (key := dedup_key(figure_event)) in seen_incidents[scope]:
            result = "duplicate"
        else:
            seen_incidents[scope][key] = figure_event.get("article_id")
            for table in casualty_tables[scope].values():
                table[row_key(figure_event, scope)].apply(merge, contribution(figure_event, scope))
            result = "counted"
            if scope == "country":
                figure = figure_event["figure"]
                metrics.CASUALTIES_COUNTED.labels(outcome=figure.get("outcome") or UNKNOWN,
                                                  country=country_of(figure_event)).inc(figure["count"]["min"])
        metrics.ROLLUP_FIGURES.labels(scope=scope, result=result).inc()

    @app.agent(casualties_topic, name="rollup_casualties_by_place", concurrency=1)
    async def rollup_casualties_by_place(stream: faust.StreamT) -> None:
        async for figure_event in stream:
            metrics.MESSAGES_IN.labels(topic=casualties_name).inc()
            count_incident("place", figure_event)
            place = row_key(figure_event, "place")
            latest_figures[place] = push_latest(latest_figures[place], figure_summary(figure_event))

    @app.agent(casualties_topic, name="rollup_casualties_by_country", concurrency=1)
    async def rollup_casualties_by_country(stream: faust.StreamT) -> None:
        async for figure_event in stream.group_by(country_of, name="by-country", topic=by_country_topic):
            count_incident("country", figure_event)

    @app.agent(enriched_topic, name="index_articles", concurrency=1)
    async def index_articles(stream: faust.StreamT) -> None:
        async for enriched in stream:
            metrics.MESSAGES_IN.labels(topic=enriched_name).inc()
            articles[enriched["id"]] = article_record(enriched)
            for key, mention in mention_events(enriched):
                mentions_topic.send_soon(key=key.encode(), value=mention)

    @app.agent(mentions_topic, name="count_entity_mentions", concurrency=1)
    async def count_entity_mentions(stream: faust.StreamT) -> None:
        async for event in stream.events():
            key, mention = event.key.decode(), event.value
            seen_key = f"{key}|{mention.get('event_id')}"
            if seen_key in seen_mentions:
                continue
            seen_mentions[seen_key] = True
            for table in mention_tables.values():
                table[key].apply(merge, mention_count(mention))

    return Rollups(casualties=casualty_tables, mentions=mention_tables, latest_figures=latest_figures,
                   articles=articles)
