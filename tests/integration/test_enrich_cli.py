"""`streams enrich` in-process over JSONL, with no broker reachable at all; rejected lines go to --rejects."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson

from .harness import REPO_ROOT, free_port


def test_enrich_writes_one_line_per_article_in_order_and_the_rejects_apart_without_a_broker(shared_data, tmp_path):
    source = shared_data / "wad-dev.jsonl"
    output, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    bad_lines = b'not json\n{"id": "no-body"}\n'
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(source.read_bytes() + bad_lines)
    env = {**os.environ, "STREAMS_KAFKA_PORT": str(free_port())}  # nothing listens there
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams",
            "enrich",
            "--input",
            str(mixed),
            "--output",
            str(output),
            "--rejects",
            str(rejects),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        timeout=900,
    )
    assert result.returncode == 7, result.stderr.decode()[-3000:]  # two lines rejected

    inputs = [orjson.loads(line) for line in source.read_bytes().splitlines()]
    outputs = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert [o["id"] for o in outputs] == [i["id"] for i in inputs]
    assert all("summary" in o and o["body"] == i["text"] for o, i in zip(outputs, inputs, strict=True))
    records = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [(r["error"]["reason"], r["error"]["line"]) for r in records] == [
        ("not_json", len(inputs) + 1),
        ("missing_field", len(inputs) + 2),
    ]
    assert f"enriched {len(inputs)} articles; rejected 2 (not_json: 1, missing_field: 1)" in result.stderr.decode()
