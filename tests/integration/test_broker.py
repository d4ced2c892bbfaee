"""The local broker from Maven Central jars: the default 4.x line and 3.9.x by changing one value, each logging
quietly to its file through the backend the Maven artifact lacks."""

from __future__ import annotations

import os

import orjson
import pytest
from kafka import TopicPartition

from streams.config import Settings, load_settings
from streams.kafka import broker
from streams.kafka.clients import json_producer, raw_consumer
from streams.kafka.topics import ensure_topics

from .harness import free_port

pytestmark = pytest.mark.integration


def round_trip(settings: Settings) -> bytes:
    ensure_topics(settings)
    producer = json_producer(settings)
    producer.send(settings.topics.raw.name, key="k", value={"id": "k", "body": "x"}).get(timeout=30)
    producer.close()
    consumer = raw_consumer(settings)
    partitions = [TopicPartition(settings.topics.raw.name, p) for p in range(settings.topics.partitions)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    records = [r for batch in consumer.poll(timeout_ms=10000).values() for r in batch]
    consumer.close()
    return records[0].value


def assert_logs_quietly_to_file(settings: Settings) -> None:
    logs = broker.paths_for(settings.kafka).logs
    assert "Kafka Server started" in (logs / "server.log").read_text(), "the broker must log to its file"
    console = (logs / "console.log").read_text()
    assert "SLF4J" not in console and "log4j" not in console.lower(), f"logging backend missing: {console[:500]}"


def test_default_broker_is_the_4x_line_and_logs_to_its_file(kafka):
    assert kafka.kafka.major == 4
    assert_logs_quietly_to_file(kafka)


def test_a_cluster_id_that_begins_with_a_dash_formats_and_starts(monkeypatch):
    random_id = broker.new_cluster_id
    monkeypatch.setattr(broker, "new_cluster_id", lambda: "-" + random_id()[1:])
    settings = load_settings(
        environ={
            **os.environ,
            "STREAMS_KAFKA_PORT": str(free_port()),
            "STREAMS_KAFKA_CONTROLLER_PORT": str(free_port()),
        }
    )
    broker.start(settings)
    try:
        assert "cluster.id=-" in (broker.paths_for(settings.kafka).data / "meta.properties").read_text()
        assert broker.status(settings)["answers"]
    finally:
        assert broker.stop(settings)
        broker.wipe(settings)


def test_kafka_3_9_runs_by_changing_the_version_value():
    settings = load_settings(
        environ={
            **os.environ,
            "STREAMS_KAFKA_VERSION": "3.9.1",
            "STREAMS_KAFKA_PORT": str(free_port()),
            "STREAMS_KAFKA_CONTROLLER_PORT": str(free_port()),
        }
    )
    broker.start(settings)
    try:
        assert broker.status(settings)["answers"]
        assert orjson.loads(round_trip(settings))["id"] == "k"
        assert_logs_quietly_to_file(settings)
    finally:
        assert broker.stop(settings)
        broker.wipe(settings)
    assert not broker.status(settings)["running"]
