"""Nothing lost, nothing doubled: crashes, graceful stops, rebalances, broker outages and hostile input.

Each test runs real worker processes against the real broker. Delivery is at-least-once with idempotent
outputs: after faults every input id must be on articles.enriched; raw duplicates on the topic are allowed
(and printed), and each carries the same event id as its twin.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import orjson
import pytest

from streams.config import load_settings
from streams.kafka import broker

from .harness import REPO_ROOT, WorkerFactory, api_totals_by_key, as_json, free_port, http_get, wait_for

pytestmark = pytest.mark.integration


def dev_articles(shared_data, count: int) -> list[dict]:
    """Real event descriptions from the development sets, as raw article events."""
    articles = []
    for name in ("wad-dev.jsonl", "acled2020-dev.jsonl"):
        for line in (shared_data / name).read_bytes().splitlines():
            row = orjson.loads(line)
            articles.append({"id": row["id"], "body": row["text"]})
    assert len(articles) >= count
    return articles[:count]


def produce_articles(workers: WorkerFactory, articles: list[dict]) -> None:
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles])


def assert_all_enriched_once_by_event_id(workers: WorkerFactory, articles: list[dict]) -> Counter:
    """Every id is on articles.enriched; duplicates, if any, are identical events (same event id)."""
    records = workers.consume(
        workers.settings.topics.enriched.name, workers.end_offsets_total(workers.settings.topics.enriched.name)
    )
    events = as_json(records)
    counts = Counter(event["id"] for event in events)
    missing = {a["id"] for a in articles} - set(counts)
    assert not missing, f"{len(missing)} articles lost, e.g. {sorted(missing)[:5]}"
    event_ids: dict[str, set] = {}
    for event in events:
        event_ids.setdefault(event["id"], set()).add(event["meta"]["event_id"])
    assert all(len(ids) == 1 for ids in event_ids.values()), "a replay must produce the same event id"
    duplicates = sum(n - 1 for n in counts.values())
    print(f"\n{len(articles)} articles, {len(events)} enriched events, {duplicates} raw duplicates on the topic")
    return counts


def rollups_of(workers: WorkerFactory, port: int) -> dict:
    return {(by, window): api_totals_by_key(port, by, window) for by in ("place", "country") for window in ("1d", "7d")}


def rollup_differences(actual: dict, expected: dict, limit: int = 20) -> str:
    """The rows that differ between two `rollups_of` answers, as `(by, window) key: got ... expected ...`."""
    lines = []
    for view in sorted(expected.keys() | actual.keys()):
        got, want = actual.get(view, {}), expected.get(view, {})
        for key in sorted(got.keys() | want.keys()):
            if got.get(key) != want.get(key):
                lines.append(f"{view} {key}: got {got.get(key)} expected {want.get(key)}")
    shown = "\n".join(lines[:limit])
    return f"{len(lines)} differing rows{' (first ' + str(limit) + ')' if len(lines) > limit else ''}:\n{shown}"


def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(workers, kafka, tmp_path, shared_data):
    articles = dev_articles(shared_data, 2000)
    enriched_topic = workers.settings.topics.enriched.name
    chooser = random.Random(20261125)
    worker = workers.start()
    produce_articles(workers, articles)
    for kill in range(3):
        before = workers.end_offsets_total(enriched_topic)
        target = before + chooser.randint(150, 400)
        wait_for(
            lambda target=target: workers.end_offsets_total(enriched_topic) >= target,
            300,
            lambda kill=kill, worker=worker: f"no progress before kill {kill}:\n{worker.log()[-2000:]}",
        )
        worker.stop(signal.SIGKILL)
        print(f"kill {kill + 1}: SIGKILL after {workers.end_offsets_total(enriched_topic)} enriched events")
        worker = workers.start()
    workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles})
    assert_all_enriched_once_by_event_id(workers, articles)

    # The same articles through a worker that is never interrupted: the rollups must be identical.
    calm = WorkerFactory(kafka, tmp_path / "uninterrupted")
    try:
        calm_worker = calm.start()
        produce_articles(calm, articles)
        calm.wait_for_ids(calm.settings.topics.enriched.name, {a["id"] for a in articles})
        calm.wait_for_rollups(calm_worker)
        expected = rollups_of(calm, calm_worker.web_port)
        assert any(expected.values()), "the uninterrupted run counted nothing"
        wait_for(
            lambda: rollups_of(workers, worker.web_port) == expected,
            120,
            lambda: (
                "rollups after the kills differ from the uninterrupted run's: "
                + rollup_differences(rollups_of(workers, worker.web_port), expected)
            ),
        )
    finally:
        calm.stop_all()


def test_sigterm_finishes_the_batch_commits_and_exits_promptly(workers, shared_data):
    articles = dev_articles(shared_data, 600)
    workers.env["STREAMS_WORKER_LONG_ARTICLE_CHARS"] = "300"  # 132 of the 600 take the long lane
    enriched_topic = workers.settings.topics.enriched.name
    worker = workers.start()
    produce_articles(workers, articles)
    wait_for(lambda: workers.end_offsets_total(enriched_topic) >= 100, 300, "no progress")
    started = time.monotonic()
    code = worker.stop(signal.SIGTERM, timeout=60)
    stopped_in = time.monotonic() - started
    assert code == 0, worker.log()[-2000:]
    assert stopped_in < 30, f"SIGTERM took {stopped_in:.1f}s"
    at_stop = workers.end_offsets_total(enriched_topic)
    workers.start()
    workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles}, timeout=180)
    counts = assert_all_enriched_once_by_event_id(workers, articles)
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= 2 * workers.settings.worker.batch_size, (
        f"a graceful stop should replay at most a batch or two, replayed {duplicates} (stopped at {at_stop})"
    )


def test_partitions_move_to_a_second_worker_and_back(workers, shared_data):
    articles = dev_articles(shared_data, 1200)
    enriched_topic = workers.settings.topics.enriched.name
    first = workers.start()
    produce_articles(workers, articles)
    wait_for(lambda: workers.end_offsets_total(enriched_topic) >= 150, 300, "no progress")
    second = workers.start()
    wait_for(
        lambda: (
            second.log().count("Setting newly assigned partitions") >= 1
            and first.log().count("Setting newly assigned partitions") >= 2
        ),
        120,
        lambda: f"no rebalance:\n{second.log()[-2000:]}",
    )
    assert first.stop(signal.SIGTERM) == 0
    workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles})
    assert_all_enriched_once_by_event_id(workers, articles)


@pytest.fixture
def own_broker(tmp_path):
    """A broker of this test's own (other ports, own data), so stopping it does not disturb other tests."""
    env = {**os.environ, "STREAMS_KAFKA_PORT": str(free_port()), "STREAMS_KAFKA_CONTROLLER_PORT": str(free_port())}
    settings = load_settings(environ=env)
    broker.start(settings)
    yield settings
    broker.stop(settings)
    broker.wipe(settings)


def test_worker_rides_out_a_broker_outage(own_broker, tmp_path, shared_data):
    workers = WorkerFactory(own_broker, tmp_path)
    try:
        articles = dev_articles(shared_data, 800)
        enriched_topic = workers.settings.topics.enriched.name
        worker = workers.start()
        produce_articles(workers, articles[:400])
        wait_for(lambda: workers.end_offsets_total(enriched_topic) >= 100, 300, "no progress")
        broker.stop(own_broker)
        outage = 45  # longer than the worker's request (40 s) and session (30 s) timeouts
        time.sleep(outage)
        assert worker.process.poll() is None, f"worker died during the outage:\n{worker.log()[-2000:]}"
        broker.start(own_broker)
        produce_articles(workers, articles[400:])
        workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles})
        assert_all_enriched_once_by_event_id(workers, articles)
    finally:
        workers.stop_all()


def outage_metrics(port: int) -> dict[str, float]:
    body = http_get(port, "/metrics")[1].decode()
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line.startswith(("streams_broker_unreachable", "streams_kafka_client"))
    }


def test_a_broker_outage_is_logged_with_back_off_and_shown_on_metrics(own_broker, tmp_path):
    workers = WorkerFactory(own_broker, tmp_path)
    try:
        worker = workers.start()
        articles = [{"id": f"outage-{i}", "body": f"Two people were killed in Kabul ({i})."} for i in range(40)]
        produce_articles(workers, articles[:20])
        workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles[:20]})
        before_outage = outage_metrics(worker.web_port)
        before = len(worker.log().splitlines())
        broker.stop(own_broker)
        time.sleep(10)
        during = outage_metrics(worker.web_port)
        time.sleep(20)
        errors = [line for line in worker.log().splitlines()[before:] if "[ERROR]" in line or "[WARNING]" in line]
        assert len(errors) <= 10, f"{len(errors)} error lines in a 30 s outage:\n" + "\n".join(errors[:40])
        assert before_outage.get("streams_broker_unreachable") == 0, before_outage
        assert during["streams_broker_unreachable"] == 1, during
        assert during['streams_kafka_client_errors_total{kind="connection"}'] > 20, during
        assert outage_metrics(worker.web_port)["streams_broker_unreachable_seconds"] >= 25
        broker.start(own_broker)
        produce_articles(workers, articles[20:])
        workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles})
        wait_for(
            lambda: outage_metrics(worker.web_port)["streams_broker_unreachable"] == 0,
            60,
            "the outage gauge never went back to 0",
        )
        wait_for(lambda: "the broker answers again after about" in worker.log(), 30, "no line said it was over")
    finally:
        workers.stop_all()


def wipe(settings_env: dict[str, str]) -> None:
    """`streams kafka wipe`, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "streams", "kafka", "wipe"],
        cwd=REPO_ROOT,
        env={**os.environ, **settings_env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_worker_rebuilds_table_state_newer_than_its_changelog_and_starts_after_a_wipe(own_broker, tmp_path):
    """A worker that finds table state newer than its changelog (the broker wiped, the state restored from a copy)
    rebuilds it from the changelog; `streams kafka wipe` deletes the workers' table state with the broker's data,
    so the next worker starts without that."""
    workers = WorkerFactory(own_broker, tmp_path)
    port, enriched = free_port(), workers.settings.topics.enriched.name
    rounds = [
        [{"id": f"r{n}-{i}", "body": f"Three soldiers were killed near Mosul ({n}, {i})."} for i in range(5)]
        for n in range(3)
    ]
    state = workers.settings.worker.data_dir
    try:
        worker = workers.start(web_port=port)
        produce_articles(workers, rounds[0])
        workers.wait_for_ids(enriched, {a["id"] for a in rounds[0]})
        worker.stop()
        shutil.copytree(state, tmp_path / "state-copy")

        broker.stop(own_broker)
        wipe(workers.env)
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(tmp_path / "state-copy", state)  # the state of before: newer than the emptied changelogs
        broker.start(own_broker)
        worker = workers.start(web_port=port)
        assert "rebuilding it from the changelog" in worker.log()
        produce_articles(workers, rounds[1])
        workers.wait_for_ids(enriched, {a["id"] for a in rounds[1]})
        worker.stop()

        broker.stop(own_broker)
        wipe(workers.env)
        assert not list(state.rglob("*.db")), "the wipe leaves the workers' table state behind"
        broker.start(own_broker)
        worker = workers.start(web_port=port)
        assert "rebuilding it from the changelog" not in worker.log()
        produce_articles(workers, rounds[2])
        workers.wait_for_ids(enriched, {a["id"] for a in rounds[2]})
    finally:
        workers.stop_all()


def test_hostile_input_is_dead_lettered_or_neutralised_and_the_stream_goes_on(workers):
    workers.start()
    hostile = [
        (b"wrong-types", orjson.dumps({"id": "wrong-types", "body": "x", "published_at": 20240101}), "wrong_type"),
        (b"no-id", orjson.dumps({"body": "Three were killed."}), "missing_field"),
        (b"nested", b'{"id": "nested", "body": "x", "extra": ' + b"[" * 3000 + b"]" * 3000 + b"}", "too_deep"),
        (b"raw-nul", b'{"id": "raw-nul", "body": "a\x00b"}', "not_json"),
        (b"ctrl-id", orjson.dumps({"id": "ctrl\u0007id", "body": "x"}), "wrong_type"),
        (
            b"dup",
            orjson.dumps({"id": "dup", "body": "A second, different body under the same id."}),
            "duplicate_id_conflict",
        ),
    ]
    neutral = [
        {"id": "dup", "body": "Four people were killed in a blast in Kabul."},
        {"id": "html", "body": "<script>alert('x')</script><b>Five</b> civilians were killed in Mosul."},
        {"id": "ctrl-body", "body": "Six soldiers\u0000 were killed\u001b in an ambush."},
        {"id": "huge-number", "body": "999999999999 killed in the village, residents said."},
    ]
    workers.produce([(a["id"], orjson.dumps(a)) for a in neutral[:1]])
    workers.consume(workers.settings.topics.enriched.name, 1)  # "dup" is known before its conflicting twin
    workers.produce([(key, value) for key, value, _ in hostile] + [(a["id"], orjson.dumps(a)) for a in neutral[1:]])

    letters = workers.consume(workers.settings.topics.dead_letter.name, len(hostile))
    reasons = {letter.key: dict(letter.headers)["dlq.reason"].decode() for letter in letters}
    assert reasons == {key: reason for key, _, reason in hostile}
    assert {letter.key: letter.value for letter in letters} == {key: value for key, value, _ in hostile}

    events = {e["id"]: e for e in as_json(workers.consume(workers.settings.topics.enriched.name, len(neutral)))}
    assert events["html"]["body"] == neutral[1]["body"], "the body is data: kept as sent, escaped by renderers"
    assert "\u0000" not in events["ctrl-body"]["body"] and len(events["ctrl-body"]["body"]) == len(neutral[2]["body"])
    assert all(f["count"]["min"] < 10**8 for f in events["huge-number"]["casualties"])
    assert events["html"]["summary"]["killed"]["min"] == 5


def test_a_worker_that_cannot_load_its_model_stops_with_the_reason(workers, tmp_path):
    workers.env["STREAMS_ENTITIES_CONFIG"] = str(tmp_path / "no-such-folder")
    worker = workers.start(wait_ready=False)
    wait_for(
        lambda: worker.process.poll() is not None,
        180,
        lambda: f"the worker kept running without its model:\n{worker.log()[-2000:]}",
    )
    assert worker.process.returncode != 0
    assert "cannot load the enrichment model" in worker.log()
    assert "no-such-folder" in worker.log()
