"""The faust application: thin agents over the pure pipeline functions.

A worker runs the role `worker.role` names: the enrichment and the rollups in one process ("all"), or either
alone ("enrich", "rollups"), so that the rollup agents can run beside the NLP workers instead of sharing their
GIL. The enrichment: a routing agent validates `articles.raw` and forwards each valid record to a topic keyed by
article id (`routing_agent.RoutingAgent`), so that one partition owns every id whatever key its producer chose;
the enrichment agent consumes that topic in batches (`take_events` with a `within` bound),
validates them, hands the valid articles to `enrichment.batch.enrich_valid` on a worker thread (long articles on
a second one, the long lane), and publishes the results with `send_soon` (`enrichment_agent.EnrichmentAgent`).
Delivery is at-least-once: a batch's offsets count as done only after the batch has been processed and queued
for sending (`kafka.delivery.DeliveryGuard`, which also mends faust's own ways of committing or dropping
unprocessed messages), and the producer is drained before every offset commit. The agents run with concurrency
1 because faust-streaming can commit past unfinished messages with more (faust #606); scale-out is by
partitions and worker processes.
"""

from __future__ import annotations

from collections.abc import Callable

import faust

from streams import metrics, rollups
from streams.config import Settings
from streams.enrichment.enricher import Enricher
from streams.incidents import agent as incidents_agent
from streams.incidents.view import IncidentFollower
from streams.kafka import codec, faust_compat
from streams.kafka.clients import faust_credentials
from streams.kafka.delivery import guard_delivery
from streams.kafka.outage import install_client_log_backoff, report_recoveries
from streams.kafka.tables import rebuild_stale_tables
from streams.kafka.topics import articles_by_id_topic
from streams.web import api as web
from streams.worker import lifecycle
from streams.worker.enrichment_agent import EnrichmentAgent
from streams.worker.routing_agent import RoutingAgent


def faust_settings(settings: Settings) -> dict:
    """faust App keyword arguments from the validated settings."""
    worker, topics = settings.worker, settings.topics
    options = dict(
        broker=";".join(f"kafka://{server}" for server in settings.kafka.bootstrap_list),  # faust's list form
        store="rocksdb://",
        datadir=str(settings.worker_state_dir),
        # faust binds its web server to web_bind (every interface unless told) and names itself web_host
        web_bind=worker.web_host,
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
        Worker=lifecycle.worker_class(settings),  # a SIGTERM honoured within worker.shutdown_timeout_seconds
    )
    credentials = faust_credentials(settings)
    if credentials is not None:
        options["broker_credentials"] = credentials
    return options


def drain_before_commit(app: faust.App) -> None:
    """Make the flush that precedes every offset commit wait until faust's producer buffer is empty.

    faust's own buffer flush gives up after 0.1 s without progress and the commit then proceeds, which could
    commit offsets past results (or table changelog records) still waiting in the buffer; a crash at that moment
    would lose them. With this, an offset is committed only after everything produced before it reached the
    Kafka client and was flushed to the broker.
    """
    faust_compat.install_drained_flush(app.producer)


def no_model_needed() -> bool:
    """Readiness of the model in a rollups process, which loads none: it is ready once its tables are."""
    return True


def follow_incidents(app: faust.App, settings: Settings) -> IncidentFollower:
    """The live view of the `incidents` topic behind `/api/incidents`, following from the worker's start."""
    follower = IncidentFollower(settings)

    @app.task
    async def start_following() -> None:
        follower.start()

    @app.timer(interval=3600.0)
    async def keep_following() -> None:  # a follower that died (its error is logged) starts again
        if not follower.running:
            follower.start()

    return follower


def create_app(settings: Settings, enricher: Enricher | None = None) -> faust.App:
    """Build the worker's faust app for its role (`worker.role`); `enricher` defaults to one loaded on the
    worker's first batch."""
    codec.register()
    settings.broker_state_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.worker.group_id, **faust_settings(settings))
    drain_before_commit(app)
    names, role = settings.topics, settings.worker.role
    enriched_topic = app.topic(names.enriched.name, key_serializer="raw", value_serializer=codec.CODEC_NAME)
    casualties_topic = app.topic(names.casualties.name, key_serializer="raw", value_serializer=codec.CODEC_NAME)
    by_id = articles_by_id_topic(settings)
    consumed = {
        "all": (names.raw, by_id, names.enriched, names.casualties, names.incident_reports),
        "enrich": (names.raw, by_id),
        "rollups": (names.enriched, names.casualties, names.incident_reports),
    }[role]
    delivery = guard_delivery(app, [topic.name for topic in consumed], settings.worker.redelivery_check_seconds)
    model_loaded: Callable[[], bool] = no_model_needed
    if role != "rollups":
        RoutingAgent(app, settings, delivery).register()
        enrichment = EnrichmentAgent(app, settings, enriched_topic, casualties_topic, delivery, enricher)
        enrichment.register()
        model_loaded = enrichment.model_loaded
    tables, follower = None, None
    if role != "enrich":
        tables = rollups.register(app, settings, casualties_topic, enriched_topic, delivery.finish)
        incidents_agent.register(app, settings, delivery.finish)
        follower = follow_incidents(app, settings)
    web.register(app, tables, model_loaded, follower)
    metrics.register(app, tables, settings.topics)
    rebuild_stale_tables(app)
    client_log = install_client_log_backoff()  # an outage logged with back-off and shown on /metrics
    report_recoveries(app, client_log)
    lifecycle.exit_unless_joined(app, settings, client_log.last_error_text)
    return app
