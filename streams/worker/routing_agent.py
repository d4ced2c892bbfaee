"""The routing agent: `articles.raw` validated, and each valid record forwarded unchanged to the by-id topic.

The version check needs every record of an article id in one partition (streams.enrichment.routing); producers
key `articles.raw` as they like, so this agent re-keys it by id. A record that fails validation is dead-lettered
here, with the raw record's coordinates; the valid ones go on with headers naming them. A batch's events are
finished only once its copies and dead letters are queued for sending, and the producer is drained before every
offset commit, so no raw offset is committed before its copy reached the broker. A replay forwards a record
again: its copy is the same body under the same id, which the enrichment treats as a replay (same event ids).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import cast

import faust

from streams import metrics
from streams.config import Settings
from streams.contract.schema import Limits
from streams.enrichment.batch import BatchOutput, DeadLetter, SourceRecord, validate_records
from streams.enrichment.routing import forward_headers, route_key
from streams.kafka.delivery import DeliveryGuard
from streams.kafka.topics import articles_by_id_topic

log = logging.getLogger(__name__)


def source_record(event: faust.EventT) -> SourceRecord:
    """The consumed record of an event (a null value stays None: a tombstone)."""
    message = event.message
    value = message.value
    if value is not None and not isinstance(value, bytes):
        value = bytes(value)
    return SourceRecord(
        key=message.key,
        value=value,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp=message.timestamp,
    )


def publish_dead_letters(topic: faust.TopicT, letters: Sequence[DeadLetter]) -> None:
    """Queue dead letters for sending: the record as it arrived (key and value), the reason in headers."""
    for letter in letters:
        source = letter.source
        topic.send_soon(key=source.key, value=source.value, headers=letter.headers())
        log.warning(
            "dead-lettered %s[%d]@%d: %s (%s)",
            source.topic,
            source.partition,
            source.offset,
            letter.reason,
            letter.detail[:200],
        )


class RoutingAgent:
    """The agent `route_articles_by_id`: raw records in, copies keyed by article id (or dead letters) out."""

    def __init__(self, app: faust.App, settings: Settings, delivery: DeliveryGuard) -> None:
        self.app, self.settings, self.delivery = app, settings, delivery
        self.names, worker = settings.topics, settings.worker
        self.raw_topic = app.topic(self.names.raw.name, key_serializer="raw", value_serializer="raw")
        self.by_id_topic = by_id_topic(app, settings)
        self.dead_letter_topic = app.topic(self.names.dead_letter.name, key_serializer="raw", value_serializer="raw")
        self.limits = Limits(max_body_chars=settings.limits.max_body_chars, max_id_chars=settings.limits.max_id_chars)
        self.batch_size, self.batch_within_seconds = worker.batch_size, worker.batch_within_seconds

    def register(self) -> None:
        """Declare the agent on the app (concurrency 1, as every agent whose offsets the delivery guard keeps)."""
        self.app.agent(self.raw_topic, name="route_articles_by_id", concurrency=1)(self.route_articles)

    async def route_articles(self, stream: faust.StreamT) -> None:
        async for events in cast(faust.Stream, stream).take_events(self.batch_size, within=self.batch_within_seconds):
            self.route_batch(events)

    def route_batch(self, events: Sequence[faust.EventT]) -> None:
        """Forward the valid records, dead-letter the others, then mark the batch finished; synchronous, so a
        shutdown cannot cut it in half."""
        started = time.perf_counter()
        records = [source_record(event) for event in events]
        output = BatchOutput()
        valid = validate_records(records, self.limits, output)
        for record, article in valid:
            self.by_id_topic.send_soon(key=route_key(article), value=record.value, headers=forward_headers(record))
        publish_dead_letters(self.dead_letter_topic, output.dead_letters)
        # The forwarded records are counted in by the enrichment; the rejected ones here, once.
        rejected = [letter.record for letter in output.dead_letters]
        output.timings = [("route", time.perf_counter() - started)]
        metrics.observe_batch(self.names, rejected, output)
        self.delivery.finish(events)


def by_id_topic(app: faust.App, settings: Settings) -> faust.TopicT:
    """The by-id topic as the worker's agents send to and read it: raw keys and values, headers kept."""
    return app.topic(articles_by_id_topic(settings).name, key_serializer="raw", value_serializer="raw")
