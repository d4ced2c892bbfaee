"""Kafka client construction from the settings: one place for bootstrap servers, security and sizes.

kafka-python serves the command-line tools (ingest, tail, admin); faust (aiokafka) serves the worker. Both get
the same security configuration here, and orjson does every serialisation.
"""

from __future__ import annotations

import ssl
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.serializer import Serializer

from streams.config import Settings


def security_options(settings: Settings) -> dict[str, Any]:
    """kafka-python options for the configured security protocol (PLAINTEXT, SSL, SASL_*)."""
    kafka = settings.kafka
    options: dict[str, Any] = {"security_protocol": kafka.security_protocol}
    if kafka.security_protocol.startswith("SASL"):
        options.update(
            sasl_mechanism=kafka.sasl_mechanism,
            sasl_plain_username=kafka.sasl_username,
            sasl_plain_password=kafka.sasl_password,
        )
    if kafka.security_protocol.endswith("SSL"):
        options.update(
            ssl_check_hostname=True,
            ssl_cafile=kafka.ssl_cafile or None,
            ssl_certfile=kafka.ssl_certfile or None,
            ssl_keyfile=kafka.ssl_keyfile or None,
        )
    return options


def faust_credentials(settings: Settings) -> Any:
    """faust's `broker_credentials` for the configured security protocol, or None for PLAINTEXT."""
    import faust

    kafka = settings.kafka
    context = None
    if kafka.security_protocol.endswith("SSL"):
        context = ssl.create_default_context(cafile=kafka.ssl_cafile or None)
        if kafka.ssl_certfile:
            context.load_cert_chain(kafka.ssl_certfile, kafka.ssl_keyfile or None)
    if kafka.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=kafka.sasl_username,
            password=kafka.sasl_password,
            mechanism=kafka.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


class KeySerializer(Serializer):
    """Article ids (str) to UTF-8; bytes pass through."""

    def serialize(self, topic, headers, data):
        return data if isinstance(data, bytes) or data is None else str(data).encode()


class OrjsonSerializer(Serializer):
    """Values to orjson's JSON bytes; ready-made bytes pass through unchanged."""

    def serialize(self, topic, headers, data):
        return data if isinstance(data, bytes) else orjson.dumps(data)


def admin_client(settings: Settings, **overrides: Any) -> KafkaAdminClient:
    return KafkaAdminClient(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        client_id="streams-admin",
        **security_options(settings),
        **overrides,
    )


def json_producer(settings: Settings, **overrides: Any) -> KafkaProducer:
    """An idempotent producer (acks=all) whose values are dicts or ready-made bytes, keys str."""
    options: dict[str, Any] = dict(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        client_id="streams-producer",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_request_size=settings.topics.max_message_bytes,
        key_serializer=KeySerializer(),
        value_serializer=OrjsonSerializer(),
    )
    options.update(security_options(settings))
    options.update(overrides)
    return KafkaProducer(**options)


def raw_consumer(settings: Settings, *topics: str, **overrides: Any) -> KafkaConsumer:
    """A consumer that hands back raw bytes: decoding is the caller's, so bad bytes can be shown as they are."""
    options: dict[str, Any] = dict(
        bootstrap_servers=settings.kafka.bootstrap_servers,
        client_id="streams-consumer",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=settings.topics.max_message_bytes,
        fetch_max_bytes=max(settings.topics.max_message_bytes, 52428800),
    )
    options.update(security_options(settings))
    options.update(overrides)
    return KafkaConsumer(*topics, **options)
