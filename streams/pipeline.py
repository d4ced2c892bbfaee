"""One batch of raw Kafka records to everything the worker must publish. Pure: no Kafka client in here.

Every input record leaves as exactly one of: an enriched event (plus its casualty figure events), or a dead
letter carrying the reason, the original bytes and the source coordinates. Nothing is dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import __version__
from .enrich import Enricher, casualty_events
from .schema import Limits, Reason, Rejection, decode_article


@dataclass(frozen=True)
class SourceRecord:
    """A consumed Kafka record, as far as the pipeline needs it."""

    key: bytes | None
    value: bytes
    topic: str
    partition: int
    offset: int
    timestamp: float | None = None  # seconds since the epoch


@dataclass(frozen=True)
class DeadLetter:
    record: SourceRecord
    reason: str
    detail: str
    stage: str

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers of the dead-letter message; its value is the original bytes, unchanged."""
        return [(name, value.encode("utf-8")) for name, value in (
            ("dlq.reason", self.reason),
            ("dlq.detail", self.detail[:1000]),
            ("dlq.stage", self.stage),
            ("dlq.source.topic", self.record.topic),
            ("dlq.source.partition", str(self.record.partition)),
            ("dlq.source.offset", str(self.record.offset)),
            ("dlq.failed_at", datetime.now(timezone.utc).isoformat()),
            ("dlq.pipeline_version", __version__),
        )]


@dataclass
class BatchOutput:
    enriched: list[dict] = field(default_factory=list)
    casualties: list[dict] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    # (stage, seconds) timings of this batch, for the latency metrics
    timings: list[tuple[str, float]] = field(default_factory=list)


def process_records(records: list[SourceRecord], enricher: Enricher, limits: Limits) -> BatchOutput:
    """Validate, enrich and fan out one batch of raw records."""
    output = BatchOutput()
    started = time.perf_counter()
    valid: list[tuple[SourceRecord, dict]] = []
    for record in records:
        decoded = decode_article(record.value, limits)
        if isinstance(decoded, Rejection):
            output.dead_letters.append(DeadLetter(record, decoded.reason, decoded.detail, "validate"))
        else:
            valid.append((record, decoded))
    validated = time.perf_counter()
    output.timings.append(("validate", validated - started))
    if valid:
        enriched = _enrich_isolating_failures(enricher, valid, output)
        output.timings.append(("enrich", time.perf_counter() - validated))
        for event in enriched:
            output.enriched.append(event)
            output.casualties.extend(casualty_events(event))
    return output


def _enrich_isolating_failures(enricher: Enricher, valid: list[tuple[SourceRecord, dict]],
                               output: BatchOutput) -> list[dict]:
    """Enrich the batch; if that raises, retry one by one so only the poisonous article is dead-lettered."""
    try:
        return enricher.enrich_batch([article for _, article in valid])
    except Exception:  # noqa: BLE001 - isolated below
        pass
    enriched = []
    for record, article in valid:
        try:
            enriched.extend(enricher.enrich_batch([article]))
        except Exception as exc:  # noqa: BLE001
            output.dead_letters.append(DeadLetter(record, Reason.ENRICHMENT_FAILED, repr(exc), "enrich"))
    return enriched
