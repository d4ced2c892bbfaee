"""The casualty knowledge under config/casualties/: every file loads, every vocabulary is used by the code,
and a malformed entry fails with a message that names the file and the row."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from streams.casualties import knowledge
from streams.casualties.knowledge import CONFIG_DIR, OUTCOMES, KnowledgeError, load

PACKAGE = Path(knowledge.__file__).parent
DATA_FILES = {
    *knowledge.WORD_SET_FILES,
    "triggers.jsonl",
    "victim_types.jsonl",
    "numbers.json",
    "calendar.json",
    "typos.json",
    "causes.jsonl",
}


def test_every_data_file_loads():
    loaded = load(CONFIG_DIR)
    assert {row.outcome for row in loaded.triggers} == set(OUTCOMES)
    assert {row.side for row in loaded.triggers} == {"after", "before"}
    assert loaded.victim_types["civilians"] == "civilian" and loaded.numbers.units["seven"] == 7
    assert loaded.calendar.months["sept"] == 9 and loaded.causes[0][0] == "suicide attack"
    assert {p.name for p in CONFIG_DIR.iterdir() if p.suffix in (".json", ".jsonl")} == DATA_FILES


def test_every_vocabulary_is_used_by_the_code():
    source = "\n".join(path.read_text() for path in PACKAGE.glob("*.py"))
    unused = [name for name in load(CONFIG_DIR).sets if f'"{name}"' not in source]
    assert unused == []


def test_a_vocabulary_the_code_asks_for_must_exist():
    with pytest.raises(KnowledgeError, match="no vocabulary named 'no_such_words'"):
        knowledge.words("no_such_words")
    with pytest.raises(KnowledgeError, match="'subgroup_markers' holds phrases, not words"):
        knowledge.words("subgroup_markers")


def _copy(tmp_path: Path) -> Path:
    directory = tmp_path / "casualties"
    shutil.copytree(CONFIG_DIR, directory)
    return directory


def _append_row(directory: Path, name: str, row: str) -> int:
    """Append a line to a JSONL file; its row number."""
    path = directory / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    return len(lines) + 1


@pytest.mark.parametrize(
    "name, row, problem",
    [
        (
            "triggers.jsonl",
            '{"phrase": "maimed", "side": "after", "outcome": "maimed"}',
            "outcome 'maimed' is not one of",
        ),
        (
            "triggers.jsonl",
            '{"phrase": "shot", "side": "after", "outcome": "killed", "weak": true}',
            "outcome must be injured",
        ),
        ("triggers.jsonl", '{"phrase": "killed", "side": "after", "outcome": "killed"}', "listed twice"),
        ("triggers.jsonl", '{"phrase": "slain", "side": "after"}', "missing outcome"),
        (
            "triggers.jsonl",
            '{"phrase": "slain", "side": "after", "outcome": "killed", "weight": 2}',
            "unknown field weight",
        ),
        ("triggers.jsonl", '{"phrase": "slain", "side": "above", "outcome": "killed"}', "side 'above'"),
        ("triggers.jsonl", '{"phrase": "Slain", "side": "after", "outcome": "killed"}', "must be lower case"),
        ("triggers.jsonl", '{"phrase": "slain", ', "not valid JSON"),
        (
            "victim_types.jsonl",
            '{"victim_type": "police", "words": ["villagers"]}',
            "'villagers' is already a civilian word",
        ),
        ("victim_types.jsonl", '{"victim_type": "animals", "words": ["dogs"]}', "victim_type 'animals'"),
        (
            "grammar.jsonl",
            '{"name": "active_gap", "note": "again", "words": ["also"]}',
            "'active_gap' is defined twice",
        ),
        ("grammar.jsonl", '{"name": "gaps", "note": "n", "words": ["so far"]}', "one word, without spaces"),
        ("grammar.jsonl", '{"name": "gaps", "note": "n", "words": ["also", "also"]}', "listed twice: also"),
        ("grammar.jsonl", '{"name": "gaps", "note": "n", "words": []}', "expected a non-empty list"),
        ("grammar.jsonl", '{"name": "gaps", "note": "n", "words": ["also"], "phrases": ["so far"]}', "exactly one of"),
        ("markers.jsonl", '{"name": "gaps", "words": ["also"]}', "missing note"),
        ("cues.jsonl", '["irrealis"]', "must be a JSON object"),
        ("causes.jsonl", '{"cause": "poisoning"}', "missing cues"),
    ],
)
def test_a_malformed_row_names_its_file_and_row(tmp_path, name, row, problem):
    directory = _copy(tmp_path)
    number = _append_row(directory, name, row)
    with pytest.raises(KnowledgeError) as failure:
        load(directory)
    message = str(failure.value)
    assert f"{name}: row {number}" in message and problem in message, message


def _append(table: list, entry: dict) -> str:
    table.append(entry)
    return str(len(table) - 1)


@pytest.mark.parametrize(
    "name, edit, problem",
    [
        (
            "numbers.json",
            lambda d: "qualifiers[" + _append(d["qualifiers"], {"phrase": "roughly", "qualifier": "x"}),
            "]: qualifier 'x' is not one of",
        ),
        (
            "numbers.json",
            lambda d: "phrases[" + _append(d["phrases"], {"phrase": "a score", "value": -20}),
            "]: -20 is not a whole number",
        ),
        ("numbers.json", lambda d: d["units"].update({"seven": "7"}) or "units.seven", ": '7' is not a whole number"),
        (
            "calendar.json",
            lambda d: d["months"].update({"smarch": 13}) or "months.smarch",
            ": 13 is not a whole number",
        ),
        ("typos.json", lambda d: d["tolerant"].append("Killed") or "tolerant", ": 'Killed' must be lower case"),
    ],
)
def test_a_malformed_entry_of_a_json_file_names_where(tmp_path, name, edit, problem):
    directory = _copy(tmp_path)
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    where = edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=re.escape(f"{name}: {where}{problem}")):
        load(directory)


def test_a_missing_file_is_named(tmp_path):
    directory = _copy(tmp_path)
    (directory / "cues.jsonl").unlink()
    with pytest.raises(KnowledgeError, match=r"cues\.jsonl: cannot be read"):
        load(directory)
