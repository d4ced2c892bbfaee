"""Prometheus metrics of the worker, served at /metrics (see streams.web) and read by the dashboard.

A registry of its own (not prometheus_client's global one) so that only these metrics, plus the process
collector, are exposed and a test can list exactly what exists. Names follow the Prometheus conventions:
`streams_` prefix, base units (`_seconds`), `_total` for counters.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

if TYPE_CHECKING:  # the worker passes these in; importing them here would load the NLP stack
    import faust
    from faust.types import ConsumerT

    from streams.config import TopicsSettings
    from streams.enrichment.batch import BatchOutput, SourceRecord
    from streams.rollups import Rollups

disable_created_metrics()  # the *_created series only double what Prometheus already knows
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
LAG_INTERVAL_SECONDS = 5.0
# From a fraction of a second (ingest to publish) to a year (an old article's published_at to publish).
LATENCY_BUCKETS = (
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
    30,
    60,
    300,
    900,
    3600,
    6 * 3600,
    86400,
    7 * 86400,
    30 * 86400,
    365 * 86400,
)

MESSAGES_IN = Counter("streams_messages_in", "Messages consumed, by topic", ["topic"], registry=REGISTRY)
MESSAGES_OUT = Counter("streams_messages_out", "Messages published, by topic", ["topic"], registry=REGISTRY)
DEAD_LETTERS = Counter("streams_dead_letters", "Messages dead-lettered, by reason", ["reason"], registry=REGISTRY)
STAGE_SECONDS = Histogram(
    "streams_stage_duration_seconds", "Processing time of one batch, by pipeline stage", ["stage"], registry=REGISTRY
)
END_TO_END_SECONDS = Histogram(
    "streams_end_to_end_latency_seconds",
    "From ingest (Kafka record timestamp) or the article's published_at to publish",
    ["since"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "streams_consumer_lag_messages",
    "Highwater minus consumer position, by partition",
    ["topic", "partition"],
    registry=REGISTRY,
)
FIGURES_EXTRACTED = Counter(
    "streams_figures_extracted", "Casualty figures extracted, by outcome", ["outcome"], registry=REGISTRY
)
CASUALTIES_COUNTED = Counter(
    "streams_casualties_counted",
    "Casualties (count.min) of newly counted incidents",
    ["outcome", "country"],
    registry=REGISTRY,
)
DELIVERY_CORRECTIONS = Counter(
    "streams_delivery_corrections",
    "Where the delivery guard overrode faust's offset bookkeeping: released (skipped, not "
    "counted as done), redelivered (a stalled partition fetched again), copy_dropped (a "
    "message fetched again while done or in hand)",
    ["kind"],
    registry=REGISTRY,
)
ROLLUP_FIGURES = Counter(
    "streams_rollup_figures",
    "Figures seen by the rollups: counted, duplicate, not_counted",
    ["scope", "result"],
    registry=REGISTRY,
)

# Series that exist from the start at 0, so a panel or an alert sees "none yet" rather than "No data".
DELIVERY_CORRECTION_KINDS = ("released", "redelivered", "copy_dropped")
ROLLUP_RESULTS = ("counted", "duplicate", "not_counted")
TOTAL_WINDOWS = ("24h", "7d")


class CasualtyTotals:
    """`streams_casualties{outcome, country, window}`: the rollups' totals, incidents counted once, in the window
    ending now (what `/api/casualties?by=country` answers). A gauge read from the tables at each scrape, so it
    holds whole numbers and survives a restart, unlike an increase() of a counter."""

    name = "streams_casualties"

    def __init__(self) -> None:
        self.rollups: Rollups | None = None

    def describe(self) -> list[GaugeMetricFamily]:
        return [self._family()]

    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(
            self.name,
            "Casualties of the incidents counted once, in the window ending now, by outcome and country",
            labels=["outcome", "country", "window"],
        )

    def collect(self) -> list[GaugeMetricFamily]:
        family = self._family()
        if self.rollups is not None:
            for (outcome, country, window), value in sorted(casualty_totals(self.rollups).items()):
                family.add_metric([outcome, country, window], value)
        return [family]


def casualty_totals(rollups: Rollups, now: float | None = None) -> dict[tuple[str, str, str], float]:
    """{(outcome, country, window): total} from the rollups' country rows."""
    from streams.rollups.windows import WINDOWS, windowed_rows

    now = time.time() if now is None else now
    totals: dict[tuple[str, str, str], float] = {}
    for window in TOTAL_WINDOWS:
        for row in windowed_rows(rollups.casualty_items("country", window, now), WINDOWS[window], now):
            for outcome, value in (row.get("outcomes") or {}).items():
                key = (outcome, str(row.get("country") or row.get("key") or "unknown"), window)
                totals[key] = totals.get(key, 0.0) + float(_total(value))
    return totals


def _total(value: Any) -> float:
    return value.get("total", 0) if isinstance(value, dict) else value or 0


CASUALTY_TOTALS = CasualtyTotals()
REGISTRY.register(CASUALTY_TOTALS)


def prime(topics: TopicsSettings | None = None) -> None:
    """Create the labelled series whose labels are known in advance, at 0."""
    from streams.casualties.knowledge import OUTCOMES
    from streams.contract.schema import Reason
    from streams.rollups.keys import SCOPES

    for name, reason in vars(Reason).items():
        if name.isupper():
            DEAD_LETTERS.labels(reason=reason)
    for outcome in OUTCOMES:
        FIGURES_EXTRACTED.labels(outcome=outcome)
    for kind in DELIVERY_CORRECTION_KINDS:
        DELIVERY_CORRECTIONS.labels(kind=kind)
    for scope in SCOPES:
        for result in ROLLUP_RESULTS:
            ROLLUP_FIGURES.labels(scope=scope, result=result)
    if topics is not None:
        for topic in topics.all():
            MESSAGES_IN.labels(topic=topic.name)
            MESSAGES_OUT.labels(topic=topic.name)


_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "gauge": ("",),
    "summary": ("_sum", "_count"),
    "info": ("_info",),
}


def exposition() -> tuple[bytes, str]:
    """The /metrics body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def exposed_names() -> set[str]:
    """Every sample name /metrics can show, including labelled series not observed yet."""
    names: set[str] = set()
    for family in REGISTRY.collect():
        names.update(family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",)))
        names.update(sample.name for sample in family.samples)
    return names


def _epoch(published_at: str | None) -> float | None:
    try:
        parsed = datetime.fromisoformat(published_at) if published_at else None
    except ValueError:
        return None
    if parsed is None:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def observe_batch(topics: TopicsSettings, records: list[SourceRecord], output: BatchOutput) -> None:
    """Count one published batch of the enrich agent: in, out, dead letters, stage and end-to-end latency."""
    published = time.time()
    MESSAGES_IN.labels(topic=topics.raw.name).inc(len(records))
    for topic, count in (
        (topics.enriched.name, len(output.enriched)),
        (topics.casualties.name, len(output.casualties)),
        (topics.dead_letter.name, len(output.dead_letters)),
    ):
        MESSAGES_OUT.labels(topic=topic).inc(count)
    for letter in output.dead_letters:
        DEAD_LETTERS.labels(reason=letter.reason).inc()
    for stage, seconds in output.timings:
        STAGE_SECONDS.labels(stage=stage).observe(seconds)
    for record in records:
        if record.timestamp:
            END_TO_END_SECONDS.labels(since="ingest").observe(max(0.0, published - record.timestamp))
    for event in output.enriched:
        if (start := _epoch(event.get("published_at"))) is not None:
            END_TO_END_SECONDS.labels(since="published_at").observe(max(0.0, published - start))
        for figure in event.get("casualties") or []:
            FIGURES_EXTRACTED.labels(outcome=figure.get("outcome") or "unknown").inc()


async def observe_consumer_lag(consumer: ConsumerT) -> None:
    """Set the lag gauge for every assigned input partition (changelogs are read only during recovery)."""
    lags = {}
    for tp in consumer.assignment():
        if tp.topic.endswith("-changelog"):
            continue
        highwater, position = consumer.highwater(tp), await consumer.position(tp)
        if highwater is not None and position is not None:
            lags[(tp.topic, str(tp.partition))] = max(0, highwater - position)
    CONSUMER_LAG.clear()  # partitions revoked since the last round must not linger
    for (topic, partition), lag in lags.items():
        CONSUMER_LAG.labels(topic=topic, partition=partition).set(lag)


def register(app: faust.App, rollups: Rollups | None = None, topics: TopicsSettings | None = None) -> None:
    """Refresh the consumer lag gauge periodically on the worker; export the series known in advance at 0 and,
    where this process holds the rollups, their totals as the `streams_casualties` gauge."""
    prime(topics)
    if rollups is not None:
        CASUALTY_TOTALS.rollups = rollups

    @app.timer(interval=LAG_INTERVAL_SECONDS, name="observe_consumer_lag")
    async def refresh_consumer_lag() -> None:
        await observe_consumer_lag(app.consumer)


def _sums(samples: Iterable, sample_name: str, label: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for sample in samples:
        if sample.name == sample_name:
            totals[sample.labels.get(label, "")] += sample.value
    return dict(totals)


def snapshot() -> dict[str, dict[str, float]]:
    """Current values the dashboard shows as pipeline health (it derives rates between polls)."""
    samples = [sample for family in REGISTRY.collect() for sample in family.samples]
    return {
        "messages_in": _sums(samples, "streams_messages_in_total", "topic"),
        "messages_out": _sums(samples, "streams_messages_out_total", "topic"),
        "dead_letters": _sums(samples, "streams_dead_letters_total", "reason"),
        "consumer_lag": _sums(samples, "streams_consumer_lag_messages", "topic"),
        "figures_extracted": _sums(samples, "streams_figures_extracted_total", "outcome"),
        "rollup_figures": _sums(samples, "streams_rollup_figures_total", "result"),
    }
