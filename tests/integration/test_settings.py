"""Settings that cannot hang or crash a worker, against the real broker: a bad value stops `streams worker` before
anything starts, with one line naming the key and the rule; a worker the broker will not take into its group says
why and exits; a SIGTERM is honoured within a bounded time whatever the worker is doing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from .harness import REPO_ROOT, WorkerFactory, free_port, http_get, wait_for

pytestmark = pytest.mark.integration


def run_worker(workers: WorkerFactory, env: dict[str, str], timeout: float = 60) -> tuple[int, str, float]:
    """`streams worker` with the pipeline's settings and `env`; (exit code, its output, seconds it ran)."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "streams", "worker", "--web-port", str(free_port())],
        cwd=REPO_ROOT,
        env={**os.environ, **workers.env, "PYTHONUNBUFFERED": "1", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


@pytest.mark.parametrize(
    "env, line",
    [
        (
            {"STREAMS_WORKER_BATCH_WITHIN_SECONDS": "inf"},
            "config worker.batch_within_seconds=inf: must be a finite number",
        ),
        (
            {"STREAMS_WORKER_PRODUCER_TIMEOUT_SECONDS": "inf"},
            "config worker.producer_timeout_seconds=inf: must be a finite number",
        ),
        (
            {"STREAMS_WORKER_SESSION_TIMEOUT_SECONDS": "0.5", "STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS": "1"},
            "config worker.session_timeout_seconds=0.5: must be between 6 and 1800, the broker's "
            "group.min/max.session.timeout.ms",
        ),
        ({"STREAMS_WORKER_DATA_DIR": "/proc/x"}, "config worker.data_dir='/proc/x': must be a writable folder"),
        ({"STREAMS_KAFKA_HOST": ""}, "config kafka.host='': must not be empty"),
        ({"STREAMS_WORKER_WEB_HOST": "256.1.1.1"}, "config worker.web_host='256.1.1.1': '256.1.1.1' does not resolve"),
    ],
    ids=[
        "inf-batch-wait",
        "inf-producer-timeout",
        "refused-session-timeout",
        "unwritable-data-dir",
        "empty-host",
        "bad-web-host",
    ],
)
def test_a_bad_setting_stops_the_worker_before_anything_starts(workers, env, line):
    code, output, seconds = run_worker(workers, env)
    assert code != 0, output[-2000:]
    errors = [text for text in output.splitlines() if "config " in text]
    assert len(errors) == 1 and line in errors[0], output[-2000:]
    assert "Traceback" not in output, output[-3000:]
    assert seconds < 30, f"took {seconds:.0f}s to refuse"


def test_web_port_0_is_refused_not_ignored(workers):
    for args, env in ((["--web-port", "0"], {}), ([], {"STREAMS_WORKER_WEB_PORT": "0"})):
        result = subprocess.run(
            [sys.executable, "-m", "streams", "worker", *args],
            cwd=REPO_ROOT,
            env={**os.environ, **workers.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0, result.stdout + result.stderr
        assert "web-port" in result.stderr or "worker.web_port=0" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 4, result.stderr


def test_a_worker_the_broker_will_not_take_into_its_group_says_why_and_exits(workers):
    """The broker refuses a session timeout below its group.min.session.timeout.ms (6 s by default); told the
    broker allows 0.5 s, the settings pass, and the join is refused."""
    workers.env.update(
        {
            "STREAMS_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS": "500",
            "STREAMS_WORKER_SESSION_TIMEOUT_SECONDS": "0.5",
            "STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS": "1",
            "STREAMS_WORKER_JOIN_TIMEOUT_SECONDS": "30",
        }
    )
    worker = workers.start(wait_ready=False)
    wait_for(lambda: worker.process.poll() is not None, 150, lambda: f"still running:\n{worker.log()[-3000:]}")
    assert worker.process.returncode != 0
    [why] = [line for line in worker.log().splitlines() if "not taken into consumer group" in line]
    assert "within 30 s (worker.join_timeout_seconds)" in why and "InvalidSessionTimeout" in why, why


def test_sigterm_is_honoured_within_the_shutdown_timeout_even_in_a_long_batch(workers, shared_data):
    """A batch of 1,000 long articles takes far longer than 10 s to enrich: the stop gives up on it at the deadline,
    and the next worker processes what it held (offsets were committed only past finished work)."""
    articles = []
    for line in (shared_data / "acled2020-dev.jsonl").read_bytes().splitlines()[:1000]:
        row = orjson.loads(line)
        articles.append({"id": row["id"], "body": "\n".join([row["text"]] * 8)})
    workers.env.update(
        {
            "STREAMS_WORKER_BATCH_SIZE": "1024",
            "STREAMS_WORKER_BATCH_WITHIN_SECONDS": "2",
            "STREAMS_WORKER_LONG_ARTICLE_CHARS": "1000000",
            "STREAMS_WORKER_SHUTDOWN_TIMEOUT_SECONDS": "10",
        }
    )
    worker = workers.start()
    wait_for(lambda: http_get(worker.web_port, "/health")[0] == 200, 180, "the worker never became ready")
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles])
    time.sleep(10)  # the enrichment takes them in a few large batches, which take minutes
    done = workers.end_offsets_total(workers.settings.topics.enriched.name)
    assert done < len(articles), "every batch finished before the stop: nothing was in hand to give up on"
    started = time.monotonic()
    code = worker.stop(signal.SIGTERM, timeout=60)
    stopped_in = time.monotonic() - started
    assert stopped_in < 15, f"SIGTERM took {stopped_in:.1f}s with worker.shutdown_timeout_seconds=10"
    assert code != 0
    assert "SIGTERM not honoured within 10 s (worker.shutdown_timeout_seconds)" in worker.log()

    workers.env["STREAMS_WORKER_SHUTDOWN_TIMEOUT_SECONDS"] = "50"
    workers.start()
    workers.wait_for_ids(workers.settings.topics.enriched.name, {a["id"] for a in articles})
