"""Guards that hold whatever the producer did, against the real broker and worker: an article id checked in the one
partition that owns it, whatever key or partition its records were sent with; the HTTP API on its own address only.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime

import orjson
import pytest

from streams.kafka.clients import json_producer

from .harness import WorkerFactory, api_totals_by_key, as_json, http_get, wait_for

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date().isoformat()


def send_to_partitions(workers: WorkerFactory, records: list[tuple[bytes, int, dict]]) -> list[int]:
    """Send (key, partition, article) to the raw topic, each to the partition named; returns the offsets."""
    producer = json_producer(workers.settings)
    raw = workers.settings.topics.raw.name
    futures = [producer.send(raw, key=key, value=orjson.dumps(a), partition=p) for key, p, a in records]
    producer.flush()
    offsets = [future.get(timeout=30).offset for future in futures]
    producer.close()
    return offsets


def killed_in(port: int, name: str) -> dict:
    rows = [row for row in api_totals_by_key(port, "place", "7d").values() if row["name"] == name]
    return rows[0]["outcomes"]["killed"] if rows else {}


def test_the_same_id_under_two_keys_on_two_partitions_is_one_article(workers):
    worker = workers.start()
    first = {"id": "probe", "published_at": TODAY, "body": "Militants killed 2 people in Kabul on Monday, police said."}
    other_body = {**first, "body": "Militants killed 40 people in Kabul on Monday, police said."}
    revision = {**first, "revision": 1, "body": "Militants killed 3 people in Kabul on Monday, police said."}
    enriched, dead_letter = workers.settings.topics.enriched.name, workers.settings.topics.dead_letter.name

    send_to_partitions(workers, [(b"key-one", 0, first)])
    [original] = as_json(workers.consume(enriched, 1))
    offsets = send_to_partitions(workers, [(b"key-two", 1, other_body), (b"key-three", 2, first)])

    [letter] = workers.consume(dead_letter, 1)
    headers = {name: value.decode() for name, value in letter.headers}
    assert headers["dlq.reason"] == "duplicate_id_conflict", headers
    assert (headers["dlq.source.topic"], headers["dlq.source.partition"], headers["dlq.source.offset"]) == (
        workers.settings.topics.raw.name,
        "1",
        str(offsets[0]),
    ), "the dead letter names the record as it arrived"
    assert letter.key == b"key-two" and letter.value == orjson.dumps(other_body)

    events = as_json(workers.consume(enriched, 2))
    assert {event["meta"]["event_id"] for event in events} == {original["meta"]["event_id"]}, (
        "the same body under a third key is a replay of the one article, not a second one"
    )
    workers.wait_for_rollups(worker)
    killed = killed_in(worker.web_port, "Kabul")
    assert killed["total"] == 2 and killed["incidents"] == 1, killed

    send_to_partitions(workers, [(b"key-four", 3, revision)])
    revised = [event for event in as_json(workers.consume(enriched, 3)) if event.get("revision") == 1]
    assert revised and revised[0]["summary"]["killed"]["min"] == 3, "a higher revision goes through"
    assert workers.end_offsets_total(dead_letter) == 1


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    if len(address) == 8:
                        found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                    else:
                        words = bytes.fromhex(address)
                        packed = b"".join(words[i : i + 4][::-1] for i in range(0, 16, 4))
                        found.add(socket.inet_ntop(socket.AF_INET6, packed))
    return found


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def request(port: int, path: str, method: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method), timeout=30
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_api_listens_on_worker_web_host_only_and_answers_get_and_head(workers):
    worker = workers.start()
    wait_for(lambda: http_get(worker.web_port, "/health")[0] == 200, 120, "the worker never became ready")
    assert listening_addresses(worker.web_port) == {"127.0.0.1"}, "bound beyond worker.web_host"
    assert answers("127.0.0.1", worker.web_port)
    assert not answers("127.0.0.2", worker.web_port), "another loopback address must not answer"

    for path in ("/health", "/api/pipeline", "/api/casualties?by=place&window=7d", "/api/casualties?by=planet"):
        get_status, get_body = http_get(worker.web_port, path)[:2]
        head_status, head_body = request(worker.web_port, path, "HEAD")
        assert head_status == get_status and head_body == b"", (path, head_status, get_status)
        assert get_body, path
    assert request(worker.web_port, "/api/casualties?by=planet", "HEAD")[0] == 400
    for method in ("POST", "PUT", "DELETE"):
        assert request(worker.web_port, "/health", method)[0] == 405, method
