"""`streams enrich` in-process over JSONL, with no broker reachable at all."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson

from .harness import REPO_ROOT, free_port


def test_enrich_writes_one_line_per_input_line_in_order_without_a_broker(shared_data, tmp_path):
    source = shared_data / "wad-dev.jsonl"
    output = tmp_path / "out.jsonl"
    bad_lines = b'not json\n{"id": "no-body"}\n'
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(source.read_bytes() + bad_lines)
    env = {**os.environ, "STREAMS_KAFKA_PORT": str(free_port())}  # nothing listens there
    result = subprocess.run(
        [sys.executable, "-m", "streams", "enrich", "--input", str(mixed), "--output", str(output)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]

    inputs = [orjson.loads(line) for line in source.read_bytes().splitlines()]
    outputs = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert len(outputs) == len(inputs) + 2
    assert [o["id"] for o in outputs[: len(inputs)]] == [i["id"] for i in inputs]
    assert all("summary" in o and o["body"] == i["text"] for o, i in zip(outputs, inputs, strict=True))
    assert [o["error"]["reason"] for o in outputs[len(inputs) :]] == ["not_json", "missing_field"]
