"""The command line without a broker: one-line errors with their exit codes, the shared options, enrich's rejects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from streams import __version__
from streams.cli import ExitCode, command_path, main
from streams.cli.options import BOOTSTRAP_ENV

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_streams(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def _no_bootstrap_left(monkeypatch):
    """--bootstrap-server sets an environment variable; keep it from leaking between tests."""
    monkeypatch.delenv(BOOTSTRAP_ENV, raising=False)
    monkeypatch.delenv("STREAMS_CONFIG_FILE", raising=False)


def test_version(capsys):
    assert main(["--version"]) == ExitCode.OK
    assert capsys.readouterr().out.strip() == f"streams {__version__}"


@pytest.mark.parametrize(
    "args, message",
    [
        (["ingest", "/nonexistent.jsonl"], "streams ingest: input file /nonexistent.jsonl does not exist"),
        (["ingest", "--input", "/nonexistent.jsonl"], "streams ingest: input file /nonexistent.jsonl does not exist"),
        (["enrich", "--input", "/nonexistent.jsonl"], "streams enrich: input file /nonexistent.jsonl does not exist"),
        (
            ["eval", "--set", "wad", "--data", "/nonexistent.jsonl"],
            "streams eval: data file /nonexistent.jsonl does not exist",
        ),
        (
            ["topics", "--config", "/nonexistent.toml"],
            "streams topics: configuration file /nonexistent.toml does not exist",
        ),
        (
            ["feeds", "list", "--feeds-file", "/nonexistent.toml"],
            "streams feeds list: feed list file /nonexistent.toml does not exist",
        ),
    ],
)
def test_a_missing_file_is_one_line_and_exit_4(args, message, capsys):
    assert main(args) == ExitCode.NO_INPUT
    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""


def test_an_unreachable_broker_is_one_line_and_exit_5_within_the_bounded_wait(tmp_path):
    started = time.monotonic()
    result = run_streams(
        "ingest", "samples/articles.jsonl", "--connect-timeout", "1", env={"STREAMS_KAFKA_PORT": str(free_port())}
    )
    assert time.monotonic() - started < 15
    assert result.returncode == ExitCode.BROKER_UNREACHABLE, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # kafka-python's retry lines are silenced
    assert lines[0].startswith("streams ingest: no Kafka broker answered at 127.0.0.1:") and "within 1s" in lines[0]


def test_bootstrap_server_names_the_brokers_tried():
    servers = f"127.0.0.1:{free_port()},localhost:{free_port()}"
    result = run_streams("topics", "--bootstrap-server", servers, "--connect-timeout", "0.5")
    assert result.returncode == ExitCode.BROKER_UNREACHABLE
    assert f"no Kafka broker answered at {servers} within 0.5s" in result.stderr


def test_a_malformed_bootstrap_server_is_a_usage_error(capsys):
    assert main(["topics", "--bootstrap-server", "kafka"]) == ExitCode.USAGE
    assert "expected host:port" in capsys.readouterr().err


def test_a_misspelled_variable_is_warned_by_name():
    result = run_streams(
        "topics", "--connect-timeout", "0.5", env={"STREAMS_KAFKA_PROT": "9092", "STREAMS_KAFKA_PORT": str(free_port())}
    )
    assert result.returncode == ExitCode.BROKER_UNREACHABLE
    warning = [line for line in result.stderr.splitlines() if "STREAMS_KAFKA_PROT" in line]
    assert len(warning) == 1 and "STREAMS_KAFKA_PORT" in warning[0], result.stderr


def test_a_bad_setting_is_exit_3(capsys, monkeypatch):
    monkeypatch.setenv("STREAMS_KAFKA_PORT", "99999")
    assert main(["topics"]) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert err.startswith("streams topics: configuration error: ") and err.count("\n") == 1


def test_loglevel_takes_only_known_levels(capsys):
    assert main(["tail", "--loglevel", "loud", "articles.raw"]) == ExitCode.USAGE
    assert "'loud' is not one of 'debug', 'info', 'warning', 'error', 'critical'" in capsys.readouterr().err


def test_two_different_inputs_are_a_usage_error(capsys, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text("")
    two.write_text("")
    assert main(["ingest", str(one), "--input", str(two)]) == ExitCode.USAGE


def test_completion_scripts(capsys):
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == ExitCode.OK
        assert "_STREAMS_COMPLETE" in capsys.readouterr().out


def test_completion_offers_commands_and_topics():
    env = {"_STREAMS_COMPLETE": "bash_complete", "COMP_WORDS": "streams ta", "COMP_CWORD": "1"}
    assert "tail" in run_streams(env=env).stdout
    env = {"_STREAMS_COMPLETE": "bash_complete", "COMP_WORDS": "streams tail articles.en", "COMP_CWORD": "2"}
    assert "articles.enriched" in run_streams(env=env).stdout


def test_command_path_names_the_command_for_messages():
    assert command_path(["feeds", "add", "http://x"]) == "streams feeds add"
    assert command_path(["tail", "--max", "1", "x"]) == "streams tail"
    assert command_path(["--version"]) == "streams"


def test_eval_hands_its_options_to_the_scorer(monkeypatch, tmp_path):
    data = tmp_path / "geo.jsonl"
    data.write_text("")
    seen: dict[str, list[str]] = {}
    monkeypatch.setattr("streams.places.scoring.main", lambda argv: seen.setdefault("geo", argv) and 0)
    monkeypatch.setattr("streams.evaluate.main", lambda argv: seen.setdefault("casualties", argv) and 0)
    assert main(["eval", "--set", "geo", "--data", str(data)]) == 0
    assert main(["eval", "--set=wad", "--data", str(data), "--errors", "3"]) == 0
    assert seen == {
        "geo": ["--set", "geo", "--data", str(data)],
        "casualties": ["--set=wad", "--data", str(data), "--errors", "3"],
    }


def test_eval_help_is_the_scorer_help(capsys):
    assert main(["eval", "--help"]) == 0
    assert "--set" in capsys.readouterr().out


class FakeEnricher:
    """Stands for the NLP enricher: records its batch size, enriches to a minimal event."""

    batch_sizes: list[int] = []

    def __init__(self, batch_size: int = 32) -> None:
        FakeEnricher.batch_sizes.append(batch_size)

    def enrich_batch(self, articles):
        return [{"id": article["id"], "body": article["body"], "summary": {}} for article in articles]


@pytest.fixture
def fake_enricher(monkeypatch):
    FakeEnricher.batch_sizes = []
    monkeypatch.setattr("streams.enrichment.enricher.Enricher", FakeEnricher)
    return FakeEnricher


def write_lines(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def test_enrich_keeps_rejects_out_of_the_output_and_exits_7(fake_enricher, tmp_path, capsys):
    source = write_lines(
        tmp_path / "in.jsonl",
        b'{"id": "a", "body": "Text."}',
        b"not json",
        b'{"id": "b"}',
        b'{"id": "c", "text": "T."}',
    )
    output, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code = main(["enrich", "--input", str(source), "--output", str(output), "--rejects", str(rejects), "--quiet"])
    assert code == ExitCode.REJECTED_LINES
    events = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert [event["id"] for event in events] == ["a", "c"] and all("error" not in event for event in events)
    records = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert records == [
        {"id": None, "error": {"reason": "not_json", "detail": records[0]["error"]["detail"], "line": 2}},
        {"id": "b", "error": {"reason": "missing_field", "detail": "required field 'body' is missing", "line": 3}},
    ]
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"enriched 2 articles; rejected 2 (not_json: 1, missing_field: 1); rejects in {rejects}"
    assert err[1].startswith("  line 2: not_json:") and err[2].startswith("  line 3: missing_field:")


def test_enrich_without_rejects_exits_0_and_its_batch_size_defaults_to_the_config(fake_enricher, tmp_path, capsys):
    from streams.config import load_settings

    source = write_lines(tmp_path / "in.jsonl", b'{"id": "a", "body": "Text."}')
    assert main(["enrich", str(source), "-o", str(tmp_path / "out.jsonl"), "--quiet"]) == ExitCode.OK
    assert fake_enricher.batch_sizes == [load_settings().worker.batch_size]
    assert main(["enrich", str(source), "-o", str(tmp_path / "out.jsonl"), "--quiet", "--batch-size", "5"]) == 0
    assert fake_enricher.batch_sizes[-1] == 5


def test_enrich_to_an_unwritable_output_is_exit_8(fake_enricher, tmp_path, capsys):
    source = write_lines(tmp_path / "in.jsonl", b'{"id": "a", "body": "Text."}')
    assert main(["enrich", str(source), "-o", str(tmp_path / "missing-dir" / "out.jsonl")]) == ExitCode.NO_OUTPUT
    assert capsys.readouterr().err.startswith("streams enrich: cannot write output file ")


class Record:
    """The attributes of a kafka-python ConsumerRecord that `streams tail` reads."""

    def __init__(self, value: bytes | None, headers=(), key: bytes | None = b"k") -> None:
        self.topic, self.partition, self.offset, self.timestamp = "t", 1, 7, 1700000000000
        self.key, self.value, self.headers = key, value, list(headers)


def test_tail_lines_are_one_json_object_each():
    from streams.kafka.tail import json_line, render

    assert json_line(Record(b'{"id": "a",\n "body": "x"}')) == b'{"id":"a","body":"x"}\n'
    letter = orjson.loads(json_line(Record(b"\xffbad", [("dlq.reason", b"not_json")])))
    assert letter["headers"] == {"dlq.reason": "not_json"} and letter["value"] is None and letter["value_base64"]
    tombstone = orjson.loads(json_line(Record(None)))
    assert tombstone["value"] is None and "value_base64" not in tombstone
    assert orjson.loads(json_line(Record(b'{"id": "a"}'), always_envelope=True))["value"] == {"id": "a"}
    assert render(Record(b'{"id": "a"}')).startswith("── t[1]@7 key=k\n{\n")
    assert render(Record(None)).endswith("(tombstone)")
