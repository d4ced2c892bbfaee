"""Explicit topic creation with kafka-python's admin client: names, partitions and retention from config/."""

from __future__ import annotations

from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.config import Settings, TopicSettings
from streams.kafka.clients import admin_client


def topic_configs(settings: Settings, topic: TopicSettings) -> dict[str, str]:
    configs = {"retention.ms": str(topic.retention_ms), "max.message.bytes": str(settings.topics.max_message_bytes)}
    if topic.compacted:
        configs["cleanup.policy"] = "compact"
    return configs


def articles_by_id_topic(settings: Settings) -> TopicSettings:
    """The worker group's copy of articles.raw keyed by article id (streams.enrichment.routing): its partitions
    are the ones the version check and the enrichment own, so the topic belongs to the group (`worker.app_id`)."""
    raw = settings.topics.raw
    return TopicSettings(name=f"{settings.worker.app_id}-{raw.name}-by-id", retention_ms=raw.retention_ms)


def pipeline_topics(settings: Settings) -> list[TopicSettings]:
    """Every topic the pipeline writes outside faust's own changelogs."""
    return [*settings.topics.all(), articles_by_id_topic(settings)]


def ensure_topics(settings: Settings) -> list[str]:
    """Create the pipeline's topics that do not exist yet; return the names created."""
    client = admin_client(settings)
    try:
        existing = set(client.list_topics())
        wanted = [
            NewTopic(
                name=t.name,
                num_partitions=settings.topics.partitions,
                replication_factor=settings.topics.replication_factor,
                topic_configs=topic_configs(settings, t),
            )
            for t in pipeline_topics(settings)
            if t.name not in existing
        ]
        if not wanted:
            return []
        try:
            client.create_topics(wanted)
        except TopicAlreadyExistsError:  # another process created them meanwhile
            pass
        return [t.name for t in wanted]
    finally:
        client.close()
