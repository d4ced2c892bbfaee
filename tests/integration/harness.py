"""Running real workers against the real broker, each test in its own topics and consumer group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from kafka import TopicPartition

from streams.config import Settings, load_settings
from streams.incidents.export import read_live
from streams.kafka.clients import json_producer, raw_consumer
from streams.kafka.topics import ensure_topics
from streams.rollups import merge

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Worker:
    process: subprocess.Popen
    web_port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@dataclass
class WorkerFactory:
    """One isolated pipeline: unique topic names and app id, workers as real subprocesses."""

    base: Settings
    tmp_path: Path
    env: dict[str, str] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tmp_path.mkdir(parents=True, exist_ok=True)
        suffix = uuid.uuid4().hex[:8]
        self.env = {
            "STREAMS_KAFKA_PORT": str(self.base.kafka.port),
            "STREAMS_KAFKA_CONTROLLER_PORT": str(self.base.kafka.controller_port),
            "STREAMS_TOPICS_RAW_NAME": f"t{suffix}.articles.raw",
            "STREAMS_TOPICS_ENRICHED_NAME": f"t{suffix}.articles.enriched",
            "STREAMS_TOPICS_CASUALTIES_NAME": f"t{suffix}.casualties",
            "STREAMS_TOPICS_DEAD_LETTER_NAME": f"t{suffix}.articles.deadletter",
            "STREAMS_TOPICS_INCIDENT_REPORTS_NAME": f"t{suffix}.incidents.reports",
            "STREAMS_TOPICS_INCIDENTS_NAME": f"t{suffix}.incidents",
            "STREAMS_WORKER_APP_ID": f"test-{suffix}",
            "STREAMS_WORKER_DATA_DIR": str(self.tmp_path / "state"),
        }
        self.settings = load_settings(environ={**os.environ, **self.env})
        ensure_topics(self.settings)

    def start(
        self, wait_ready: bool = True, command: list[str] | None = None, role: str = "all", web_port: int = 0
    ) -> Worker:
        """Start a worker process (`streams worker --role role` unless `command` names another faust app), on
        `web_port` (which also names its table state folder) or a free port."""
        web_port = web_port or free_port()
        log_path = self.tmp_path / f"worker-{web_port}.log"
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command or [sys.executable, "-m", "streams", "worker", "--web-port", str(web_port), "--role", role],
                cwd=REPO_ROOT,
                env={**env, "STREAMS_WORKER_WEB_PORT": str(web_port)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, web_port, log_path)
        self.workers.append(worker)
        if wait_ready:
            wait_for(
                lambda: "Worker]: Ready" in worker.log() or process.poll() is not None,
                120,
                lambda: f"worker did not become ready:\n{worker.log()[-3000:]}",
            )
            assert process.poll() is None, f"worker exited early:\n{worker.log()[-3000:]}"
        return worker

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()

    def produce(self, records: list[tuple[bytes | str | None, bytes]]) -> list[int]:
        """Send (key, value bytes) to the raw topic as they are; returns their offsets."""
        producer = json_producer(self.settings)
        futures = [producer.send(self.settings.topics.raw.name, key=key, value=value) for key, value in records]
        producer.flush()
        offsets = [future.get(timeout=30).offset for future in futures]
        producer.close()
        return offsets

    def consume(self, topic: str, count: int, timeout: float = 120) -> list:
        """Read the topic from the beginning until `count` records arrived (or fail after `timeout`)."""
        consumer = raw_consumer(self.settings, consumer_timeout_ms=1000)
        partitions = [TopicPartition(topic, p) for p in range(self.settings.topics.partitions)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records: list = []
        deadline = time.monotonic() + timeout
        while len(records) < count and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        consumer.close()
        assert len(records) >= count, f"{topic}: {len(records)} of {count} records within {timeout}s"
        return records

    def end_offsets_total(self, topic: str) -> int:
        """How many records the topic holds (sum of its partitions' end offsets)."""
        consumer = raw_consumer(self.settings)
        partitions = [TopicPartition(topic, p) for p in range(self.settings.topics.partitions)]
        total = sum(consumer.end_offsets(partitions).values())
        consumer.close()
        return total

    def wait_for_ids(self, topic: str, ids: set[str], timeout: float = 600) -> None:
        """Wait until every id has come out as a key on `topic` (read from its beginning).

        Output, not the group's committed offsets, is what tells that inputs were processed: faust-streaming
        can leave a partition's commit behind while it keeps processing (faust #318, #611), which costs replays
        after a restart but loses nothing.
        """
        consumer = raw_consumer(self.settings)
        partitions = [TopicPartition(topic, p) for p in range(self.settings.topics.partitions)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while not ids <= seen and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                seen.update(record.key.decode() for record in batch if record.key is not None)
        consumer.close()
        missing = ids - seen
        assert not missing, (
            f"{len(missing)} of {len(ids)} ids never reached {topic}, e.g. {sorted(missing)[:5]}:\n"
            f"{self.workers[-1].log()[-2000:] if self.workers else ''}"
        )

    def wait_for_rollups(self, worker: Worker, timeout: float = 300) -> None:
        """Wait until `worker` (started before any input) has put every casualties record through its rollups."""
        total = self.end_offsets_total(self.settings.topics.casualties.name)
        wait_for(
            lambda: rollup_records_seen(worker.web_port) >= total,
            timeout,
            lambda: f"rollups saw {rollup_records_seen(worker.web_port)} of {total} figure records",
        )

    def live_incidents(self) -> dict[str, dict]:
        """The live incidents on the factory's `incidents` topic: last value per id, merged and ended ones dropped."""
        topic = self.settings.topics.incidents.name
        consumer = raw_consumer(self.settings)
        try:
            return read_live(consumer, [TopicPartition(topic, p) for p in range(self.settings.topics.partitions)])
        finally:
            consumer.close()

    def keys_on(self, topic: str) -> list[bytes]:
        """Every key on the topic, in no particular order (duplicates included)."""
        total = self.end_offsets_total(topic)
        return [record.key for record in self.consume(topic, total)] if total else []


def incident_pages(coded: list[dict]) -> list[dict]:
    """The raw articles of the GVA incident rows (`gva-incidents-dev.jsonl`), in the rows' order."""
    return [
        {key: page[key] for key in ("id", "title", "published_at", "body") if page.get(key) is not None}
        for incident in coded
        for page in incident["articles"]
    ]


def wait_for(condition, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(message() if callable(message) else message)


def as_json(records: list) -> list[dict]:
    return [orjson.loads(record.value) for record in records]


def http_get(port: int, path: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def api(port: int, path: str) -> dict:
    status, body, _ = http_get(port, path)
    assert status == 200, (path, status, body[:500])
    return orjson.loads(body)


def api_totals_by_key(port: int, by: str, window: str, count: str = "figures") -> dict[str, dict]:
    """API rows (the figure rollups unless `count="incidents"`) folded to {key: {name, country, outcomes}}; the
    `1d` day series is added up per key."""
    totals: dict[str, dict] = {}
    for row in api(port, f"/api/casualties?by={by}&window={window}&count={count}")["rows"]:
        value = {name: row[name] for name in ("name", "country", "outcomes")}
        totals[row["key"]] = merge(totals.get(row["key"]), value)
    return totals


def rollup_records_seen(port: int) -> float:
    """Casualties records the worker's rollups have handled (all results of `streams_rollup_figures_total`)."""
    status, body, _ = http_get(port, "/metrics")
    if status != 200:
        return 0
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in body.decode().splitlines()
        if line.startswith("streams_rollup_figures_total{") and 'scope="place"' in line
    )
