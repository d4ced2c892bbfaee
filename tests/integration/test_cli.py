"""The command line against the real broker: unknown topics, rejected lines, a closed pipe, the output of `tail`,
and the ways of naming the broker (--bootstrap-server, --config)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import orjson
import pytest

from streams.cli.errors import ExitCode
from streams.config import Settings
from streams.kafka.clients import json_producer

from .harness import REPO_ROOT, free_port

SAMPLES = REPO_ROOT / "samples" / "articles.jsonl"


@pytest.fixture
def pipeline_env(kafka: Settings) -> dict[str, str]:
    """Topic names of this test alone, created with `streams topics`."""
    suffix = uuid.uuid4().hex[:8]
    env = {
        "STREAMS_KAFKA_PORT": str(kafka.kafka.port),
        "STREAMS_KAFKA_CONTROLLER_PORT": str(kafka.kafka.controller_port),
        "STREAMS_TOPICS_RAW_NAME": f"t{suffix}.articles.raw",
        "STREAMS_TOPICS_ENRICHED_NAME": f"t{suffix}.articles.enriched",
        "STREAMS_TOPICS_CASUALTIES_NAME": f"t{suffix}.casualties",
        "STREAMS_TOPICS_DEAD_LETTER_NAME": f"t{suffix}.articles.deadletter",
    }
    result = streams("topics", env=env)
    assert result.returncode == 0, result.stderr
    return env


def streams(*args: str, env: dict[str, str], stdin: bytes | None = None, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )


def test_an_unknown_topic_fails_fast_with_exit_6_and_the_closest_name(pipeline_env):
    started = time.monotonic()
    typo = pipeline_env["STREAMS_TOPICS_ENRICHED_NAME"][:-1]  # "....articles.enriche"
    result = streams("tail", typo, env=pipeline_env, timeout=30)
    assert time.monotonic() - started < 15
    assert result.returncode == ExitCode.UNKNOWN_TOPIC
    assert result.stderr.decode().splitlines() == [
        f"streams tail: topic {typo!r} does not exist at 127.0.0.1:{pipeline_env['STREAMS_KAFKA_PORT']}; "
        f"did you mean {pipeline_env['STREAMS_TOPICS_ENRICHED_NAME']!r}?"
    ]


def test_ingest_with_broken_lines_sends_the_good_ones_and_exits_7(pipeline_env, tmp_path):
    good = SAMPLES.read_bytes().splitlines()[:2]
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"\n".join([good[0], b"{not json", b'{"id": "no-body"}', good[1], b'{"id": "x", "body": 3}']))
    rejects = tmp_path / "rejects.jsonl"
    result = streams("ingest", "--input", str(source), "--rejects", str(rejects), "--quiet", env=pipeline_env)
    assert result.returncode == ExitCode.REJECTED_LINES
    err = result.stderr.decode().splitlines()
    assert err[0] == (
        f"sent 2 articles to {pipeline_env['STREAMS_TOPICS_RAW_NAME']}; rejected 3 "
        f"(not_json: 1, missing_field: 1, wrong_type: 1); rejects in {rejects}"
    )
    assert [line.split(":")[0] for line in err[1:]] == ["  line 2", "  line 3", "  line 5"]
    records = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["error"]["line"] for r in records] == [2, 3, 5] and records[1]["id"] == "no-body"
    tail = streams("tail", pipeline_env["STREAMS_TOPICS_RAW_NAME"], "--max", "2", "--timeout", "20", env=pipeline_env)
    assert tail.returncode == 0
    assert sorted(orjson.loads(line)["id"] for line in tail.stdout.splitlines()) == sorted(
        orjson.loads(line)["id"] for line in good
    )


def test_tail_prints_one_json_object_per_line_and_pretty_for_people(pipeline_env):
    assert streams("ingest", str(SAMPLES), "--quiet", env=pipeline_env).returncode == 0
    topic = pipeline_env["STREAMS_TOPICS_RAW_NAME"]
    plain = streams("tail", topic, "--max", "5", "--timeout", "20", env=pipeline_env)
    lines = plain.stdout.splitlines()
    assert plain.returncode == 0 and len(lines) == 5
    assert all(isinstance(orjson.loads(line), dict) and "body" in orjson.loads(line) for line in lines)
    pretty = streams("tail", topic, "--max", "1", "--timeout", "20", "--pretty", env=pipeline_env)
    assert pretty.stdout.decode().startswith(f"── {topic}[") and '\n  "id": ' in pretty.stdout.decode()
    envelope = streams("tail", topic, "--max", "1", "--timeout", "20", "--envelope", env=pipeline_env)
    record = orjson.loads(envelope.stdout)
    assert record["topic"] == topic and record["key"] == record["value"]["id"] and record["headers"] == {}


def test_a_dead_letter_is_printed_with_its_headers(kafka, pipeline_env):
    topic = pipeline_env["STREAMS_TOPICS_DEAD_LETTER_NAME"]
    producer = json_producer(kafka)
    headers = [("dlq.reason", b"not_json"), ("dlq.detail", b"not JSON"), ("dlq.stage", b"validate")]
    producer.send(topic, key="k", value=b"\xff{broken", headers=headers)
    producer.flush()
    producer.close()
    result = streams("tail", topic, "--max", "1", "--timeout", "20", env=pipeline_env)
    record = orjson.loads(result.stdout)
    assert record["headers"]["dlq.reason"] == "not_json" and record["value"] is None
    assert record["value_base64"] == "/3ticm9rZW4="


def test_tail_into_a_closed_pipe_exits_quietly(kafka, pipeline_env):
    producer = json_producer(kafka)
    for number in range(300):  # more than a pipe holds, so tail is still writing when head has gone
        producer.send(
            pipeline_env["STREAMS_TOPICS_RAW_NAME"], key=str(number), value={"id": str(number), "body": "x" * 1000}
        )
    producer.flush()
    producer.close()
    command = (
        f"{sys.executable} -m streams tail {pipeline_env['STREAMS_TOPICS_RAW_NAME']} --timeout 20 --pretty | head -n 2;"
        " echo status=${PIPESTATUS[0]} >&2"
    )
    result = subprocess.run(
        ["bash", "-c", command], cwd=REPO_ROOT, env={**os.environ, **pipeline_env}, capture_output=True, timeout=60
    )
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.decode().strip() == f"status={ExitCode.CLOSED_PIPE}"  # no BrokenPipeError, no traceback


def test_bootstrap_server_and_config_name_the_broker(kafka, pipeline_env, tmp_path):
    topic = pipeline_env["STREAMS_TOPICS_RAW_NAME"]
    assert streams("ingest", str(SAMPLES), "--quiet", env=pipeline_env).returncode == 0
    dead_port = {**pipeline_env, "STREAMS_KAFKA_PORT": str(free_port())}
    servers = f"127.0.0.1:{kafka.kafka.port},localhost:{kafka.kafka.port}"
    listed = streams("tail", topic, "--bootstrap-server", servers, "--max", "1", "--timeout", "20", env=dead_port)
    assert listed.returncode == 0, listed.stderr
    assert orjson.loads(listed.stdout)["id"]
    config = tmp_path / "streams.toml"
    text = (REPO_ROOT / "config" / "streams.toml").read_text()
    config.write_text(text.replace("port = 9092", f"port = {kafka.kafka.port}", 1))
    env = {key: value for key, value in pipeline_env.items() if key != "STREAMS_KAFKA_PORT"}
    os_env = {key: value for key, value in os.environ.items() if key != "STREAMS_KAFKA_PORT"}
    result = subprocess.run(
        [sys.executable, "-m", "streams", "tail", topic, "--config", str(config), "--max", "1", "--timeout", "20"],
        cwd=REPO_ROOT,
        env={**os_env, **env},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert orjson.loads(result.stdout)["id"]
