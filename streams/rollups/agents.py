"""The faust side of the rollups: the tables, the agents that write them and the hooks that derive the window sums.

Partitioning
------------
Every table is written only by an agent whose input topic is keyed like the table, with concurrency 1 (faust
#606), each write under the input record's event so its changelog message goes to that record's partition:
`incidents` and `latest-figures` from the `casualties` topic (keyed by place; the dedup key begins with the place,
so an incident and all its reports live in one partition), `articles` from `articles.enriched` (keyed by article
id). There are no repartition or forwarding topics: country totals derive from the same incidents (each carries
its country) and mention counts from the articles. With several workers each holds only its partitions:
`/api/articles/{id}` is routed to the owner of the key (`app.table_route`); the aggregate endpoints answer for the
partitions of the worker asked (they say which), so run one worker for a complete picture or add up the answers
of all workers (a country's or an entity's rows are then spread over them).

Exact under any crash point
---------------------------
Each `casualties` record causes at most one write to `incidents`, of one key, and the write is idempotent (the
stored record joined with the report, `join_incidents`), so a replay writes the same key with the same value or
nothing. Either the incident's changelog message reached Kafka, and a replay finds the key, or it did not, and then
the record's offset was not committed either (faust flushes the producer before committing offsets), so the
replay writes it. The design this replaces wrote a seen key to one table and the figure into several windowed
total tables: a crash between those changelog messages lost the figure (seen key kept, totals not) or doubled it
(the reverse).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import faust

from streams import metrics
from streams.config import Settings
from streams.contract.events import CasualtyFigureEvent, EnrichedArticle
from streams.kafka.tables import keyed_table
from streams.rollups.aggregates import ENTITIES, Aggregates, casualty_contributions, mention_contributions
from streams.rollups.keys import SCOPES, UNKNOWN, counts_toward_totals, dedup_key, row_key
from streams.rollups.records import (
    ArticleRecord,
    IncidentRecord,
    article_record,
    figure_summary,
    incident_record,
    join_incidents,
    push_latest,
    same_article_version,
)
from streams.rollups.windows import WindowItem


def local_items(table: Any) -> Iterator[tuple[str, Any]]:
    """The table's entries in this worker's active partitions (faust's RocksDB store skips standbys)."""
    for key, value in table.items():
        yield (key.decode() if isinstance(key, bytes) else key), value


def tables_ready(app: faust.App) -> bool:
    """Tables recovered and no rebalance running. `app.tables.recovery` is on faust's `TableManager`, not on
    its `TableManagerT` interface."""
    tables: Any = app.tables
    return bool(tables.recovery.completed.is_set() and not app.in_recovery and not app.rebalancing)


@dataclass
class Rollups:
    """The tables behind the HTTP API (read by streams.web) and the window sums derived from them."""

    incidents: Any  # dedup key -> incident record (its reports joined)
    latest_figures: Any  # place key -> newest figure summaries
    articles: Any  # article id -> article_record
    casualty_totals: Aggregates[IncidentRecord]  # derived from incidents
    mention_totals: Aggregates[ArticleRecord]  # derived from articles
    ready: Callable[[], bool]  # tables recovered and no rebalance running

    def casualty_items(self, by: str, window: str, now: float) -> list[WindowItem]:
        self.casualty_totals.refresh(lambda: local_items(self.incidents), self.ready())
        return self.casualty_totals.window_items(by, window, now)

    def mention_items(self, window: str, now: float) -> list[WindowItem]:
        self.mention_totals.refresh(lambda: local_items(self.articles), self.ready())
        return self.mention_totals.window_items(ENTITIES, window, now)


def register(
    app: faust.App,
    settings: Settings,
    casualties_topic: faust.TopicT,
    enriched_topic: faust.TopicT,
    finish: Callable[[Iterable[faust.EventT]], None],
) -> Rollups:
    """Declare the rollup tables, the agents that keep them (concurrency 1: they write tables) and the hooks
    that derive the window sums from them; `finish` marks each event done once its table writes are made."""
    rollups = Rollups(
        incidents=keyed_table(app, "incidents", "each counted incident by dedup key"),
        latest_figures=keyed_table(app, "latest-figures", "newest figures per place key", default=list),
        articles=keyed_table(app, "articles", "latest enriched event per article id, without its body"),
        casualty_totals=Aggregates(casualty_contributions),
        mention_totals=Aggregates(mention_contributions),
        ready=lambda: tables_ready(app),
    )
    derive_window_sums(app, rollups)
    register_casualty_rollup(app, rollups, casualties_topic, finish)
    register_article_index(app, rollups, enriched_topic, finish)
    return rollups


def derive_window_sums(app: faust.App, rollups: Rollups) -> None:
    """Mark the sums stale when the partitions change, rebuild them when the tables are recovered."""

    async def partitions_changed(sender: Any, *args: Any, **kwargs: Any) -> None:
        rollups.casualty_totals.invalidate()
        rollups.mention_totals.invalidate()

    # mode spells its handler type with mypy_extensions' VarArg/NamedArg, which mypy no longer matches any
    # function against: the handler is right, the check cannot pass.
    app.on_partitions_revoked.connect(partitions_changed)  # type: ignore[arg-type]
    app.on_partitions_assigned.connect(partitions_changed)  # type: ignore[arg-type]

    @rollups.incidents.on_recover
    async def rebuild_casualty_totals() -> None:
        rollups.casualty_totals.rebuild(local_items(rollups.incidents))

    @rollups.articles.on_recover
    async def rebuild_mention_totals() -> None:
        rollups.mention_totals.rebuild(local_items(rollups.articles))


def count_incident(rollups: Rollups, figure_event: CasualtyFigureEvent, reported_at: float) -> str:
    """One table write at most: the incident joined with this report, under its dedup key."""
    if not counts_toward_totals(figure_event):
        return "not_counted"
    key, record = dedup_key(figure_event), incident_record(figure_event, reported_at)
    with rollups.casualty_totals.lock:
        stored = rollups.incidents.get(key)
        joined = join_incidents(stored, record)
        if joined != stored:
            rollups.incidents[key] = joined
            rollups.casualty_totals.insert(key, stored, joined)
        elif joined["figure_id"] == record["figure_id"]:
            # A replay of the representative report: the same key and value again, so that if a crash kept
            # the earlier write out of the changelog (local state ahead of Kafka), this one puts it there.
            rollups.incidents[key] = stored
    if stored is not None:
        return "duplicate"
    metrics.CASUALTIES_COUNTED.labels(outcome=record["outcome"], country=record["country"] or UNKNOWN).inc(
        record["count"]
    )
    return "counted"


def index_article(rollups: Rollups, enriched: EnrichedArticle, reported_at: float) -> None:
    """The article's record under its id; a replay of the stored version writes the stored value again."""
    record = article_record(enriched, reported_at)
    with rollups.mention_totals.lock:
        stored = rollups.articles.get(enriched["id"])
        if same_article_version(stored, record):
            rollups.articles[enriched["id"]] = stored  # a replay: the same value again, first report time kept
        else:
            rollups.articles[enriched["id"]] = record
            rollups.mention_totals.insert(enriched["id"], stored, record)


def register_casualty_rollup(
    app: faust.App, rollups: Rollups, casualties_topic: faust.TopicT, finish: Callable[[Iterable[faust.EventT]], None]
) -> None:
    """The agent of the `casualties` topic: incidents and latest figures."""
    casualties_name = casualties_topic.get_topic_name()

    @app.agent(casualties_topic, name="rollup_casualties", concurrency=1)
    async def rollup_casualties(stream: faust.StreamT) -> None:
        async for event in stream.events():
            figure_event = event.value
            metrics.MESSAGES_IN.labels(topic=casualties_name).inc()
            result = count_incident(rollups, figure_event, event.message.timestamp)
            for scope in SCOPES:
                metrics.ROLLUP_FIGURES.labels(scope=scope, result=result).inc()
            place = row_key(figure_event, "place")
            rollups.latest_figures[place] = push_latest(rollups.latest_figures[place], figure_summary(figure_event))
            finish((event,))


def register_article_index(
    app: faust.App, rollups: Rollups, enriched_topic: faust.TopicT, finish: Callable[[Iterable[faust.EventT]], None]
) -> None:
    """The agent of `articles.enriched`: the articles table, from which the mention counts derive."""
    enriched_name = enriched_topic.get_topic_name()

    @app.agent(enriched_topic, name="index_articles", concurrency=1)
    async def index_articles(stream: faust.StreamT) -> None:
        async for event in stream.events():
            enriched = event.value
            metrics.MESSAGES_IN.labels(topic=enriched_name).inc()
            index_article(rollups, enriched, event.message.timestamp)
            finish((event,))
