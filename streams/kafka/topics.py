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
            for t in settings.topics.all()
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
