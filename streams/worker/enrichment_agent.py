"""The enrichment agent: `articles.raw` re-keyed by id (the routing agent) in batches, checked against the
versions seen, enriched off the event loop, results published.

One batch goes through named steps: validate the records, check each article's version against the table of
versions seen (a re-sent id with another body and no higher revision is dead-lettered), hand long articles over
to the long lane, enrich the rest on the NLP thread, publish the results with `send_soon`, and only then mark
the batch's events finished for the delivery guard, so that no offset is committed past unpublished work. The
agent runs with concurrency 1 because faust-streaming can commit past unfinished messages with more (faust
#606); scale-out is by partitions and worker processes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import faust

from streams import metrics
from streams.config import Settings
from streams.contract.schema import Limits
from streams.enrichment.batch import (
    BatchOutput,
    DeadLetter,
    SourceRecord,
    content_hash,
    enrich_valid,
    validate_records,
    version_conflict,
)
from streams.enrichment.enricher import Enricher
from streams.enrichment.routing import origin_of
from streams.entities.recognizer import mark_background_thread
from streams.incidents.agent import incident_reports_topic
from streams.kafka.delivery import DeliveryGuard
from streams.kafka.faust_compat import current_event_scope
from streams.kafka.tables import keyed_table
from streams.worker.routing_agent import by_id_topic, publish_dead_letters, source_record

log = logging.getLogger(__name__)

# Long articles being enriched in the long lane at most, beyond which the agent waits for the oldest.
LONG_LANE_BACKLOG = 4


def split(items: Sequence, belongs: Callable[[Any], bool]) -> tuple[list, list]:
    """(items that belong, the others), each in order."""
    return [item for item in items if belongs(item)], [item for item in items if not belongs(item)]


def copy_record(event: faust.EventT) -> SourceRecord:
    """The consumed copy (from the by-id topic) with the raw record it came from, named in its headers."""
    return origin_of(source_record(event), event.message.headers)


class EnrichmentAgent:
    """The agent `enrich_articles` and what it keeps between batches: the enricher, the versions table, the
    NLP thread and the long lane with its articles in flight."""

    def __init__(
        self,
        app: faust.App,
        settings: Settings,
        enriched_topic: faust.TopicT,
        casualties_topic: faust.TopicT,
        delivery: DeliveryGuard,
        enricher: Enricher | None,
    ) -> None:
        self.app, self.settings, self.delivery = app, settings, delivery
        self.names, worker = settings.topics, settings.worker
        self.enriched_topic, self.casualties_topic = enriched_topic, casualties_topic
        self.by_id_topic = by_id_topic(app, settings)
        self.dead_letter_topic = app.topic(self.names.dead_letter.name, key_serializer="raw", value_serializer="raw")
        self.reports_topic = incident_reports_topic(app, settings)
        # Keyed by article id and partitioned as the by-id topic: each id is checked in the one partition
        # that owns it, whatever key the producer chose on articles.raw.
        self.versions = keyed_table(app, "article-versions-by-id", "content hash and revision of each article id")
        self.limits = Limits(max_body_chars=settings.limits.max_body_chars, max_id_chars=settings.limits.max_id_chars)
        self.batch_size, self.batch_within_seconds = worker.batch_size, worker.batch_within_seconds
        self.long_article_chars = worker.long_article_chars
        self.nlp_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        self.enricher = enricher
        # Its nlp.pipe groups wait while the short lane wants the pipeline (entities.recognizer.PipelineTurns).
        self.long_lane = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="nlp-long", initializer=mark_background_thread
        )
        self.long_in_flight: deque[asyncio.Future] = deque()

    def register(self) -> None:
        """Declare the agent on the app (concurrency 1: it writes the versions table)."""
        self.app.agent(self.by_id_topic, name="enrich_articles", concurrency=1)(self.enrich_articles)

    def model_loaded(self) -> bool:
        """Whether the enricher is loaded (for readiness)."""
        return self.enricher is not None

    async def enrich_articles(self, stream: faust.StreamT) -> None:
        """The agent: load the model once, then process the by-id copies of `articles.raw` in batches bounded in
        size and time."""
        active = await self.load_model()
        if active is None:
            return
        async for events in cast(faust.Stream, stream).take_events(self.batch_size, within=self.batch_within_seconds):
            await self.process_batch(events, active)

    async def load_model(self) -> Enricher | None:
        """The enricher, loaded on the NLP thread on the first start; None once the worker is made to crash."""
        if self.enricher is None:
            loop = asyncio.get_running_loop()
            try:
                self.enricher = await loop.run_in_executor(self.nlp_thread, Enricher, None, self.batch_size)
            except Exception as exc:
                # Restarting the agent would only fail again (and each attempt loads the model anew): stop the
                # worker with the reason, for its supervisor to restart or a person to read.
                log.critical("cannot load the enrichment model and knowledge: %r; stopping the worker", exc)
                await self.app.crash(exc)
                return None
        return self.enricher

    async def process_batch(self, events: Sequence[faust.EventT], active: Enricher) -> None:
        """One batch through the steps; its long articles finish later, in the long lane."""
        output = BatchOutput()
        records = [copy_record(event) for event in events]
        accepted = self.check_versions(events, self.validate(records, output), output)
        accepted, events, records = self.hand_long_articles_over(accepted, events, records, active)
        await self.enrich(events, records, accepted, active, output)
        self.publish(records, output)
        self.finish(events)

    def validate(self, records: list[SourceRecord], output: BatchOutput) -> list:
        """(record, article) of the valid records; the others are dead-lettered into `output`."""
        return validate_records(records, self.limits, output)

    def check_versions(self, events: Sequence[faust.EventT], valid: list, output: BatchOutput) -> list:
        """Dead-letter ids re-sent with a different body and no higher revision; remember the others.

        Each table write is made under its own event so it lands in that record's partition: inside a
        take_events batch faust's current event is otherwise the batch's last one.
        """
        by_position = {(event.message.partition, event.message.offset): event for event in events}
        accepted = []
        for record, article in valid:
            with current_event_scope(by_position[(record.partition, record.offset)]):
                conflict = version_conflict(self.versions.get(article["id"]), article)
                if conflict is not None:
                    output.dead_letters.append(DeadLetter(record, conflict.reason, conflict.detail, "dedupe"))
                    continue
                self.versions[article["id"]] = {"hash": content_hash(article), "revision": article.get("revision", 0)}
            accepted.append((record, article))
        return accepted

    def hand_long_articles_over(
        self, accepted: list, events: Sequence[faust.EventT], records: list[SourceRecord], active: Enricher
    ) -> tuple[list, Sequence[faust.EventT], list[SourceRecord]]:
        """Start the batch's long articles in the long lane; return what is left for the batch's own enrichment.

        Their acks are deferred until their results are queued, so offsets are still committed only past
        finished work.
        """
        long = {
            (record.partition, record.offset)
            for record, article in accepted
            if len(article["body"]) > self.long_article_chars
        }
        if not long:
            return accepted, events, records
        long_accepted, accepted = split(accepted, lambda item: (item[0].partition, item[0].offset) in long)
        long_events, events = split(events, lambda event: (event.message.partition, event.message.offset) in long)
        _, records = split(records, lambda record: (record.partition, record.offset) in long)
        self.delivery.defer(long_events)
        self.long_in_flight.append(asyncio.ensure_future(self.enrich_long(long_events, long_accepted, active)))
        return accepted, events, records

    async def enrich(
        self,
        events: Sequence[faust.EventT],
        records: list[SourceRecord],
        accepted: list,
        active: Enricher,
        output: BatchOutput,
    ) -> None:
        """Enrich the accepted articles on the NLP thread, then keep the long lane within its backlog.

        A shutdown (the agent cancelled) does not cut the batch: its enrichment is awaited and its results are
        published and finished before the cancellation goes on, and the long lane's articles are gathered.
        """
        work = asyncio.get_running_loop().run_in_executor(self.nlp_thread, enrich_valid, accepted, active, output)
        try:
            await asyncio.shield(work)
            await self.keep_long_lane_within_backlog()
        except asyncio.CancelledError:
            await work
            self.publish(records, output)
            self.finish(events)
            await asyncio.gather(*self.long_in_flight, return_exceptions=True)
            raise

    async def keep_long_lane_within_backlog(self) -> None:
        """Let go of the long-lane tasks that are done; wait for the oldest while more than the backlog run."""
        long_in_flight = self.long_in_flight
        while long_in_flight and (long_in_flight[0].done() or len(long_in_flight) > LONG_LANE_BACKLOG):
            await asyncio.shield(long_in_flight[0])
            long_in_flight.popleft()  # only once done: a shutdown during the wait still gathers it

    async def enrich_long(self, events: Sequence[faust.EventT], accepted: list, active: Enricher) -> None:
        """Enrich long articles on their own thread, so the short ones consumed after them are not held up."""
        output = BatchOutput()
        try:
            await asyncio.get_running_loop().run_in_executor(self.long_lane, enrich_valid, accepted, active, output)
        except Exception:
            log.exception("long-lane enrichment failed; its articles will be fetched again")
            self.delivery.abandon(events)
            return
        self.publish([record for record, _ in accepted], output)
        self.finish(events)

    def publish(self, records: list[SourceRecord], output: BatchOutput) -> None:
        """Queue every result for sending; synchronous, so a shutdown cannot cut a batch in half."""
        for event in output.enriched:
            self.enriched_topic.send_soon(key=event["id"].encode(), value=event)
        for event in output.casualties:
            self.casualties_topic.send_soon(key=event["place_key"].encode(), value=event)
        for report in output.incident_reports:
            self.reports_topic.send_soon(key=report["region"].encode(), value=report)
        publish_dead_letters(self.dead_letter_topic, output.dead_letters)
        metrics.observe_batch(self.names, records, output)

    def finish(self, events: Sequence[faust.EventT]) -> None:
        """Mark the events processed and their results queued: from now on their offsets may be committed."""
        self.delivery.finish(events)
