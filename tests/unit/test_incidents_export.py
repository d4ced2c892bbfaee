"""Totals counted by incident (/api/casualties) and the export of the live incidents (CSV, Parquet)."""

from __future__ import annotations

import csv
import time
import types

import orjson
import pytest

from streams.incidents import export
from streams.incidents.matcher import MatchRule
from streams.incidents.totals import incident_rows, reported_epoch
from streams.rollups.windows import WINDOWS
from tests.unit.test_incidents import load_cases, made_up_event, run_stream


def live_records() -> list[dict]:
    """The live incidents of every made-up case, run as one stream."""
    articles = [made_up_event(spec) for case in load_cases() if "rule" not in case for spec in case["articles"]]
    last, _ = run_stream(articles, MatchRule())
    return [r for r in last.values() if not r.get("merged_into")]


def test_each_incident_counts_once_by_country_admin1_and_place():
    records = live_records()
    by_country = incident_rows(records, "country", WINDOWS["1d"], time.time())
    killed = sum(row["outcomes"].get("killed", {}).get("total", 0) for row in by_country)
    assert killed == sum(r["killed"]["min"] for r in records if r["counted"])
    assert {row["key"] for row in by_country} == {"US"}
    by_admin1 = incident_rows(records, "admin1", WINDOWS["1d"], time.time())
    assert {row["key"] for row in by_admin1} == {"US/US-IL", "US/US-MO"}
    assert sum(row["incidents"] for row in by_admin1) == sum(row["incidents"] for row in by_country)
    by_place = incident_rows(records, "place", WINDOWS["1d"], time.time(), outcome="killed")
    assert all(set(row["outcomes"]) == {"killed"} for row in by_place)


def test_the_report_clock_windows_keep_incidents_reported_in_them():
    records = live_records()
    assert incident_rows(records, "country", WINDOWS["24h"], time.time()) == []
    newest = max(reported_epoch(r["last_reported"]) or 0 for r in records)
    [row] = incident_rows(records, "country", WINDOWS["7d"], newest + 3600)
    assert 1 <= row["incidents"] <= len(records)


def test_an_incident_known_only_from_follow_ups_is_not_counted():
    record = {**live_records()[0], "counted": False}
    assert incident_rows([record], "country", WINDOWS["1d"], time.time()) == []
    assert export.rows([record]) == []


def test_the_live_incidents_are_the_last_value_per_key_without_tombstones_or_merged():
    live: dict = {}
    export.apply(live, b"inc-1", orjson.dumps({"id": "inc-1", "version": 1}))
    export.apply(live, b"inc-2", orjson.dumps({"id": "inc-2", "version": 1}))
    export.apply(live, b"inc-1", orjson.dumps({"id": "inc-1", "version": 2}))
    export.apply(live, b"inc-2", orjson.dumps({"id": "inc-2", "version": 2, "merged_into": "inc-1"}))
    export.apply(live, b"inc-3", orjson.dumps({"id": "inc-3", "version": 1}))
    export.apply(live, b"inc-3", None)
    assert live == {"inc-1": {"id": "inc-1", "version": 2}}


class FakeConsumer:
    """A consumer over fixed (key, value) messages on one partition."""

    def __init__(self, messages):
        self.messages = [types.SimpleNamespace(key=k, value=v) for k, v in messages]
        self.at = 0

    def assign(self, partitions):
        self.partitions = partitions

    def seek_to_beginning(self, *partitions):
        self.at = 0

    def end_offsets(self, partitions):
        return {partitions[0]: len(self.messages)}

    def position(self, tp):
        return self.at

    def poll(self, timeout_ms):
        batch, self.at = self.messages[self.at : self.at + 2], min(len(self.messages), self.at + 2)
        return {"tp": batch} if batch else {}


def test_the_export_reads_the_topic_to_its_end(tmp_path):
    records = live_records()
    consumer = FakeConsumer([(r["id"].encode(), orjson.dumps(r)) for r in records])
    live = export.read_live(consumer, ["tp"])
    table = export.rows(live.values())
    assert len(table) == len([r for r in records if r["counted"]])
    path = tmp_path / "incidents.csv"
    export.write_csv(table, path)
    read = list(csv.DictReader(path.open()))
    assert list(read[0]) == list(export.COLUMNS)
    assert read[0]["country"] == "United States" and read[0]["event_date"] == table[0]["event_date"]
    assert all(row["notes"] for row in read) and {row["admin1"] for row in read} == {"Illinois", "Missouri"}


def test_the_parquet_file_has_typed_columns(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    table = export.rows(live_records())
    path = tmp_path / "incidents.parquet"
    export.write_parquet(table, path)
    read = pq.read_table(path)
    assert read.column_names == list(export.COLUMNS)
    assert str(read.schema.field("event_date").type) == "date32[day]"
    assert read.column("fatalities").to_pylist() == [row["fatalities"] for row in table]


def test_the_export_command_is_registered_and_refuses_a_missing_format(capsys):
    from streams.cli import main

    assert main(["export", "incidents", "--help"]) == 0
    assert "ACLED-like" in capsys.readouterr().out
    assert main(["export", "incidents", "--format", "xlsx", "--output", "x"]) == 2
