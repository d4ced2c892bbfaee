"""One batch of raw Kafka records to everything the worker must publish. Pure: no Kafka client in here.

Every input record leaves as exactly one of: an enriched event (plus its casualty figure events), or a dead
letter carrying the reason, the original bytes (a null value for a tombstone) and the source coordinates.
Nothing is dropped.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from streams import __version__
from streams.contract.schema import Limits, Reason, Rejection, decode_article
from streams.enrichment.enricher import Enricher, casualty_events, enrich_isolating_failures
from streams.incidents.report import incident_report

TOMBSTONE_DETAIL = "a tombstone (a record with a null value) carries no article"


@dataclass(frozen=True)
class SourceRecord:
    """A consumed Kafka record, as far as the pipeline needs it."""

    key: bytes | None
    value: bytes | None  # None: a tombstone
    topic: str
    partition: int
    offset: int
    timestamp: float | None = None  # seconds since the epoch
    # The record as it first arrived (on articles.raw) when this one is its copy keyed by article id
    # (streams.enrichment.routing): what a dead letter reports and carries.
    origin: SourceRecord | None = None

    @property
    def source(self) -> SourceRecord:
        return self.origin or self


@dataclass(frozen=True)
class DeadLetter:
    record: SourceRecord
    reason: str
    detail: str
    stage: str

    @property
    def source(self) -> SourceRecord:
        """The record as it arrived: its key and value are the dead letter's, its coordinates in the headers."""
        return self.record.source

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers of the dead-letter message; its value is the original bytes, unchanged."""
        source = self.source
        return [
            (name, value.encode("utf-8"))
            for name, value in (
                ("dlq.reason", self.reason),
                ("dlq.detail", self.detail[:1000]),
                ("dlq.stage", self.stage),
                ("dlq.source.topic", source.topic),
                ("dlq.source.partition", str(source.partition)),
                ("dlq.source.offset", str(source.offset)),
                ("dlq.failed_at", datetime.now(UTC).isoformat()),
                ("dlq.pipeline_version", __version__),
            )
        ]


@dataclass
class BatchOutput:
    enriched: list[dict] = field(default_factory=list)
    casualties: list[dict] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    # each enriched article's incident report, for the incident stage (streams.incidents)
    incident_reports: list[dict] = field(default_factory=list)
    # (stage, seconds) timings of this batch, for the latency metrics
    timings: list[tuple[str, float]] = field(default_factory=list)


def validate_records(
    records: list[SourceRecord], limits: Limits, output: BatchOutput
) -> list[tuple[SourceRecord, dict]]:
    """Decode and check each record; the rejected become dead letters in `output`."""
    started = time.perf_counter()
    valid: list[tuple[SourceRecord, dict]] = []
    for record in records:
        if record.value is None:
            output.dead_letters.append(DeadLetter(record, Reason.TOMBSTONE, TOMBSTONE_DETAIL, "validate"))
            continue
        decoded = decode_article(record.value, limits)
        if isinstance(decoded, Rejection):
            output.dead_letters.append(DeadLetter(record, decoded.reason, decoded.detail, "validate"))
        else:
            valid.append((record, decoded))
    output.timings.append(("validate", time.perf_counter() - started))
    return valid


def content_hash(article: dict) -> str:
    return hashlib.blake2b(article["body"].encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def version_conflict(previous: dict | None, article: dict) -> Rejection | None:
    """An id seen before with another body is a conflict, unless the article says it is a later revision.

    The same body again is a replay (at-least-once delivery) or a repeated ingest: it is enriched again and
    yields the same event ids, which consumers and rollups deduplicate.
    """
    if previous is None or previous["hash"] == content_hash(article):
        return None
    revision = article.get("revision") or 0
    if revision > previous.get("revision", 0):
        return None
    return Rejection(
        Reason.DUPLICATE_ID,
        f"id {article['id']!r} was seen with a different body "
        f"(revision {previous.get('revision', 0)}); send a higher 'revision'",
    )


def enrich_valid(valid: list[tuple[SourceRecord, dict]], enricher: Enricher, output: BatchOutput) -> None:
    """Enrich the valid articles (batched) and fan out their casualty figures into `output`."""
    if not valid:
        return
    started = time.perf_counter()
    results = enrich_isolating_failures(enricher, [article for _, article in valid])
    output.timings.append(("enrich", time.perf_counter() - started))
    for (record, _), result in zip(valid, results, strict=False):
        if isinstance(result, Exception):
            output.dead_letters.append(DeadLetter(record, Reason.ENRICHMENT_FAILED, repr(result), "enrich"))
            continue
        output.enriched.append(result)
        output.casualties.extend(casualty_events(result))
        output.incident_reports.append(incident_report(result))
