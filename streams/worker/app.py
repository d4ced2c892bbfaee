"""The faust application: thin agents over the pure pipeline functions.

A worker runs the role `worker.role` names: the enrichment and the rollups in one process ("all"), or either
alone ("enrich", "rollups"), so that the rollup agents can run beside the NLP workers instead of sharing their
GIL. The enrichment: one agent consumes `articles.raw` in batches (`take_events` with a `within` bound),
validates them, hands the valid articles to `pipeline.enrich_valid` on a worker thread (long articles on a second
one, the long lane), and publishes the results with `send_soon`. Delivery is at-least-once: a batch's offsets
count as done only after the batch has been processed and queued for sending (`delivery.DeliveryGuard`, which
also mends faust's own ways of committing or dropping unprocessed messages), and the producer is drained before
every offset commit. The agent runs with concurrency 1 because faust-streaming can
commit past unfinished messages with more (faust #606); scale-out is by partitions and worker processes.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import faust
from faust import streams as faust_streams

from streams.kafka import codec
from streams import metrics
from streams import rollups
from streams.web import api as web
from streams.kafka.clients import faust_credentials
from streams.config import Settings
from streams.kafka.delivery import DeliveryGuard, guard_delivery
from streams.enrichment.enricher import Enricher
from streams.entities.recognizer import mark_background_thread
from streams.enrichment.batch import (BatchOutput, DeadLetter, SourceRecord, content_hash, enrich_valid, validate_records,
                       version_conflict)
from streams.contract.schema import Limits
from streams.kafka.tables import keyed_table

log = logging.getLogger(__name__)

# Long articles being enriched in the long lane at most, beyond which the agent waits for the oldest.
LONG_LANE_BACKLOG = 4


def faust_settings(settings: Settings) -> dict:
    """faust App keyword arguments from the validated settings."""
    worker, topics = settings.worker, settings.topics
    options = dict(
        broker=f"kafka://{settings.kafka.bootstrap_servers}",
        store="rocksdb://",
        datadir=str(worker.data_dir / f"worker-{worker.web_port}"),
        web_host=worker.web_host,
        web_port=worker.web_port,
        web_in_thread=True,
        consumer_auto_offset_reset="earliest",
        topic_partitions=topics.partitions,
        topic_replication_factor=topics.replication_factor,
        producer_acks=-1,
        producer_linger=worker.producer_linger_seconds,
        producer_max_batch_size=worker.producer_batch_bytes,
        producer_max_request_size=topics.max_message_bytes,
        # per partition and fetch; a larger message still comes through whole (the broker returns at least one
        # record batch even when it exceeds this), so the cap only bounds the prefetch buffers
        consumer_max_fetch_size=2**20,
        broker_max_poll_records=worker.batch_size * 2,
        stream_buffer_maxsize=worker.batch_size * 4,
        broker_commit_interval=1.0,
        broker_session_timeout=worker.session_timeout_seconds,
        broker_heartbeat_interval=min(3.0, worker.session_timeout_seconds / 3),
        broker_request_timeout=worker.request_timeout_seconds,
        producer_request_timeout=worker.producer_timeout_seconds,
        value_serializer="raw",
        key_serializer="raw",
    )
    credentials = faust_credentials(settings)
    if credentials is not None:
        options["broker_credentials"] = credentials
    return options


def split(items: list, belongs: Callable[[Any], bool]) -> tuple[list, list]:
    """(items that belong, the others), each in order."""
    return [item for item in items if belongs(item)], [item for item in items if not belongs(item)]


def source_record(event: faust.EventT) -> SourceRecord:
    message = event.message
    value = message.value if isinstance(message.value, bytes) else bytes(message.value or b"")
    return SourceRecord(key=message.key, value=value, topic=message.topic, partition=message.partition,
                        offset=message.offset, timestamp=message.timestamp)


@contextmanager
def current_event(event: faust.EventT) -> Iterator[None]:
    """Make `event` faust's current event for table writes in this task only.

    Table writes go to the changelog partition (and RocksDB column) of the current event; inside a take_events
    batch that is otherwise the batch's last event. Only the context variable is set: assigning the stream's
    `current_event` attribute would be read by take_events' background buffering task, which would then file the
    next consumed message under the wrong event and never ack it.
    """
    token = faust_streams._current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        faust_streams._current_event.reset(token)


def drain_before_commit(app: faust.App) -> None:
    """Make the flush that precedes every offset commit wait until faust's producer buffer is empty.

    faust's own buffer flush gives up after 0.1 s without progress and the commit then proceeds, which could
    commit offsets past results (or table changelog records) still waiting in the buffer; a crash at that moment
    would lose them. With this, an offset is committed only after everything produced before it reached the
    Kafka client and was flushed to the broker.
    """
    producer = app.producer
    flush = producer.flush

    async def drained_flush() -> None:
        while producer.buffer.size:
            await asyncio.sleep(0.005)
        await flush()

    producer.flush = drained_flush


def create_app(settings: Settings, enricher: Enricher | None = None) -> faust.App:
    """Build the worker's faust app for its role (`worker.role`); `enricher` defaults to one loaded on the
    worker's first batch."""
    codec.register()
    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.worker.group_id, **faust_settings(settings))
    drain_before_commit(app)
    names, role = settings.topics, settings.worker.role
    enriched_topic = app.topic(names.enriched.name, key_serializer="raw", value_serializer=codec.CODEC_NAME)
    casualties_topic = app.topic(names.casualties.name, key_serializer="raw", value_serializer=codec.CODEC_NAME)
    consumed = {"all": (names.raw, names.enriched, names.casualties), "enrich": (names.raw,),
                "rollups": (names.enriched, names.casualties)}[role]
    delivery = guard_delivery(app, [topic.name for topic in consumed], settings.worker.redelivery_check_seconds)
    # A rollups process loads no model: it is ready once its tables are.
    model_loaded = (register_enrichment(app, settings, enriched_topic, casualties_topic, delivery, enricher)
                    if role != "rollups" else lambda: True)
    tables = (rollups.register(app, settings, casualties_topic, enriched_topic, delivery.finish)
              if role != "enrich" else None)
    web.register(app, tables, model_loaded)
    metrics.register(app)
    return app


def register_enrichment(app: faust.App, settings: Settings, enriched_topic: faust.TopicT,
                        casualties_topic: faust.TopicT, delivery: DeliveryGuard,
                        enricher: Enricher | None) -> Callable[[], bool]:
    """Declare the agent that enriches `articles.raw` and publishes the results; returns whether the model is
    loaded (for readiness)."""
    names = settings.topics
    raw_topic = app.topic(names.raw.name, key_serializer="raw", value_serializer="raw")
    dead_letter_topic = app.topic(names.dead_letter.name, key_serializer="raw", value_serializer="raw")
    versions = keyed_table(app, "article-versions", "content hash and revision of each article id")
    limits = Limits(max_body_chars=settings.limits.max_body_chars, max_id_chars=settings.limits.max_id_chars)
    nlp_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
    state: dict[str, Enricher] = {}
    if enricher is not None:
        state["enricher"] = enricher

    def publish(records: list[SourceRecord], output: BatchOutput) -> None:
        """Queue every result for sending; synchronous, so a shutdown cannot cut a batch in half."""
        for event in output.enriched:
            enriched_topic.send_soon(key=event["id"].encode(), value=event)
        for event in output.casualties:
            casualties_topic.send_soon(key=event["place_key"].encode(), value=event)
        for letter in output.dead_letters:
            dead_letter_topic.send_soon(key=letter.record.key, value=letter.record.value,
                                        headers=letter.headers())
            log.warning("dead-lettered %s[%d]@%d: %s (%s)", letter.record.topic, letter.record.partition,
                        letter.record.offset, letter.reason, letter.detail[:200])
        metrics.observe_batch(names, records, output)

    # Its nlp.pipe groups wait while the short lane wants the pipeline (entities.recognizer.PipelineTurns).
    long_lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp-long", initializer=mark_background_thread)
    long_in_flight: deque[asyncio.Task] = deque()

    async def enrich_long(events: list[faust.EventT], accepted: list, active: Enricher) -> None:
        """Enrich long articles on their own thread, so the short ones consumed after them are not held up."""
        output = BatchOutput()
        try:
            await asyncio.get_running_loop().run_in_executor(long_lane, enrich_valid, accepted, active, output)
        except Exception:
            log.exception("long-lane enrichment failed; its articles will be fetched again")
            delivery.abandon(events)
            return
        publish([record for record, _ in accepted], output)
        delivery.finish(events)

    @app.agent(raw_topic, name="enrich_articles", concurrency=1)
    async def enrich_articles(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        if "enricher" not in state:
            try:
                state["enricher"] = await loop.run_in_executor(nlp_thread, Enricher, None,
                                                               settings.worker.batch_size)
            except Exception as exc:
                # Restarting the agent would only fail again (and each attempt loads the model anew): stop the
                # worker with the reason, for its supervisor to restart or a person to read.
                log.critical("cannot load the enrichment model and knowledge: %r; stopping the worker", exc)
                await app.crash(exc)
                return
        active = state["enricher"]
        async for events in stream.take_events(settings.worker.batch_size,
                                               within=settings.worker.batch_within_seconds):
            output = BatchOutput()
            records = [source_record(event) for event in events]
            accepted = check_versions(events, validate_records(records, limits, output), output)
            accepted, events, records = hand_long_articles_over(accepted, events, records, active)
            work = loop.run_in_executor(nlp_thread, enrich_valid, accepted, active, output)
            try:
                await asyncio.shield(work)
                while long_in_flight and (long_in_flight[0].done() or len(long_in_flight) > LONG_LANE_BACKLOG):
                    await asyncio.shield(long_in_flight[0])
                    long_in_flight.popleft()  # only once done: a shutdown during the wait still gathers it
            except asyncio.CancelledError:
                # Shutting down: finish and publish what is in hand before its offsets are acked.
                await work
                publish(records, output)
                delivery.finish(events)
                await asyncio.gather(*long_in_flight, return_exceptions=True)
                raise
            publish(records, output)
            delivery.finish(events)

    def hand_long_articles_over(accepted: list, events: list[faust.EventT], records: list[SourceRecord],
                                active: Enricher) -> tuple[list, list, list]:
        """Start the batch's long articles in the long lane; return what is left for the batch's own enrichment.

        Their acks are deferred until their results are queued, so offsets are still committed only past
        finished work.
        """
        long = {(record.partition, record.offset) for record, article in accepted
                if len(article["body"]) > settings.worker.long_article_chars}
        if not long:
            return accepted, events, records
        long_accepted, accepted = split(accepted, lambda item: (item[0].partition, item[0].offset) in long)
        long_events, events = split(events, lambda event: (event.message.partition, event.message.offset) in long)
        _, records = split(records, lambda record: (record.partition, record.offset) in long)
        delivery.defer(long_events)
        long_in_flight.append(asyncio.ensure_future(enrich_long(long_events, long_accepted, active)))
        return accepted, events, records

    def check_versions(events: list[faust.EventT], valid: list, output: BatchOutput) -> list:
        """Dead-letter ids re-sent with a different body and no higher revision; remember the others.

        Each table write is made under its own event so it lands in that record's partition: inside a
        take_events batch faust's current event is otherwise the batch's last one.
        """
        by_position = {(event.message.partition, event.message.offset): event for event in events}
        accepted = []
        for record, article in valid:
            with current_event(by_position[(record.partition, record.offset)]):
                conflict = version_conflict(versions.get(article["id"]), article)
                if conflict is not None:
                    output.dead_letters.append(DeadLetter(record, conflict.reason, conflict.detail, "dedupe"))
                    continue
                versions[article["id"]] = {"hash": content_hash(article), "revision": article.get("revision", 0)}
            accepted.append((record, article))
        return accepted

    return lambda: "enricher" in state
