"""The real Kafka broker for integration tests: reused when one answers on the configured port, else started
here (from the Maven Central jars) and stopped after the session. Never mocked, never skipped."""

from __future__ import annotations

import pytest

from streams.config import Settings, load_settings
from streams.kafka import broker

from .harness import WorkerFactory


@pytest.fixture(scope="session")
def kafka() -> Settings:
    settings = load_settings()
    started_here = False
    if not broker.answers_metadata(settings):
        broker.start(settings)
        started_here = True
    yield settings
    if started_here:
        broker.stop(settings)


@pytest.fixture
def workers(kafka: Settings, tmp_path) -> WorkerFactory:
    factory = WorkerFactory(kafka, tmp_path)
    yield factory
    factory.stop_all()
