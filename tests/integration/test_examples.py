"""examples/ against the real broker: each consumer reads real events of its topic and validates them with its
one schema file, with nothing of this project importable but that file."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import uuid
from pathlib import Path

import orjson
import pytest
from kafka.admin import NewTopic

from streams.config import Settings
from streams.kafka.clients import admin_client, json_producer

from .harness import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
ALLOWED_IMPORTS = {"__future__", "argparse", "json", "pathlib", "kafka", "jsonschema"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_examples_depend_only_on_kafka_python_and_jsonschema(path):
    assert imported_modules(path) <= ALLOWED_IMPORTS, imported_modules(path) - ALLOWED_IMPORTS


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> dict[str, list[tuple[str | None, dict | None]]]:
    """Real events: `streams enrich` on samples/articles.jsonl, their figure events, and the incident records the
    incident state publishes for them (after the place stage)."""
    from streams.cli import main
    from streams.enrichment.enricher import casualty_events
    from streams.incidents.report import incident_report
    from streams.incidents.state import apply_report, new_region_state
    from streams.places import place_article

    output = tmp_path_factory.mktemp("examples") / "enriched.jsonl"
    assert main(["enrich", str(REPO_ROOT / "samples/articles.jsonl"), "-o", str(output), "--quiet"]) == 0
    enriched = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    regions: dict[str, dict] = {}
    incidents: list[tuple[str | None, dict | None]] = []
    for event in enriched:
        report = incident_report(place_article(event))
        state = regions.setdefault(report["region"], new_region_state(report["region"]))
        incidents.extend(apply_report(state, report).publish)
    return {
        "enriched": [(event["id"], event) for event in enriched],
        "casualties": [(figure["place_key"], figure) for event in enriched for figure in casualty_events(event)],
        "incidents": incidents,
    }


def produce(kafka: Settings, records: list[tuple[str | None, dict | None]]) -> str:
    """The records on a new topic of this test; returns its name."""
    topic = f"t{uuid.uuid4().hex[:8]}.example"
    admin = admin_client(kafka)
    try:
        admin.create_topics([NewTopic(name=topic, num_partitions=2, replication_factor=1)])
    finally:
        admin.close()
    producer = json_producer(kafka)
    for key, value in records:
        producer.send(topic, key=key, value=None if value is None else orjson.dumps(value))
    producer.flush()
    producer.close()
    return topic


def run_example(name: str, kafka: Settings, topic: str, tmp_path: Path) -> list[str]:
    """The example as a user runs it: its own process, from another folder, without the project on the path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("STREAMS_", "PYTHONPATH"))}
    result = subprocess.run(
        [
            sys.executable,
            "-I",  # isolated: neither the working folder nor PYTHON* variables on sys.path
            str(EXAMPLES / name),
            "--bootstrap-server",
            kafka.kafka.bootstrap_servers,
            "--topic",
            topic,
            "--timeout",
            "8",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "invalid" not in result.stdout, result.stdout
    return result.stdout.splitlines()


def test_consume_articles(kafka, events, tmp_path):
    lines = run_example("consume_articles.py", kafka, produce(kafka, events["enriched"]), tmp_path)
    assert len(lines) == len(events["enriched"])
    borno = next(line for line in lines if line.startswith("sample-borno-attack:"))
    assert "killed 23" in borno and "kidnapped 40" in borno


def test_consume_casualties(kafka, events, tmp_path):
    lines = run_example("consume_casualties.py", kafka, produce(kafka, events["casualties"]), tmp_path)
    assert lines[0].split() == ["place", "country", "killed", "injured"]
    rows = {line[:40].strip(): line.split()[-2:] for line in lines[1:]}
    counted = [
        e
        for _, e in events["casualties"]
        if e["figure"].get("in_incident_total") and e["figure"]["outcome"] == "killed"
    ]
    assert sum(int(killed) for killed, _ in rows.values()) == sum(e["figure"]["count"]["min"] for e in counted)


def test_consume_incidents(kafka, events, tmp_path):
    records = events["incidents"]
    assert records, "the samples open incidents"
    lines = run_example("consume_incidents.py", kafka, produce(kafka, records), tmp_path)
    last: dict[str | None, dict | None] = {}
    for key, value in records:
        last[key] = value
    live = {key for key, value in last.items() if value is not None and not value.get("merged_into")}
    assert lines[0] == f"{len(live)} live incidents"
    assert {line.split()[0] for line in lines[1:]} == live
