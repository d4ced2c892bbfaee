"""Incidents end to end on the real broker: GVA incident pages through real workers give the expected incidents
on `/api/incidents` and on the `incidents` topic, and a SIGKILL mid-stream then a restart gives the same
incident totals as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import orjson
import pytest

from streams.config import load_settings
from streams.incidents.matcher import MatchRule
from streams.incidents.scoring import ordered_reports, run_matcher, score
from streams.kafka.topics import ensure_topics

from .harness import WorkerFactory, api, incident_pages, wait_for

pytestmark = pytest.mark.integration

INCIDENTS = 40  # coded incidents of the dev set: about a hundred pages


def in_order(factory: WorkerFactory) -> WorkerFactory:
    """The factory's topics renamed to one partition each and no long lane, so that every run matches the
    reports in the same order (which incidents form depends on it; with four partitions the enrichment
    interleaves them as the batches come)."""
    factory.env["STREAMS_TOPICS_PARTITIONS"] = "1"
    factory.env["STREAMS_WORKER_LONG_ARTICLE_CHARS"] = "10000000"
    for name in ("RAW", "ENRICHED", "CASUALTIES", "DEAD_LETTER", "INCIDENT_REPORTS", "INCIDENTS"):
        variable = f"STREAMS_TOPICS_{name}_NAME"
        factory.env[variable] = factory.env[variable].replace(".", "-1.", 1)
    factory.settings = load_settings(environ={**os.environ, **factory.env})
    ensure_topics(factory.settings)
    return factory


def coded_incidents(shared_data: Path) -> list[dict]:
    rows = [json.loads(line) for line in (shared_data / "gva-incidents-dev.jsonl").open() if line.strip()]
    return rows[:INCIDENTS]


def matched_offline(factory: WorkerFactory, count: int) -> dict[str, dict]:
    """The offline matcher (streams.incidents.scoring) over the enriched events the worker published."""
    enriched = [orjson.loads(record.value) for record in factory.consume(factory.settings.topics.enriched.name, count)]
    return run_matcher(ordered_reports(enriched), MatchRule())


def all_articles_in_incidents(factory: WorkerFactory, pages: list[dict]) -> bool:
    """Every placed page is held by a live incident (a page without a country opens none)."""
    held = {article for record in factory.live_incidents().values() for article in record["articles"]}
    return len(held) >= 0.9 * len(pages)


def totals(live: dict[str, dict]) -> tuple[int, int, int]:
    counted = [r for r in live.values() if r.get("counted", True) and (r["killed"]["min"] or r["injured"]["min"])]
    return len(counted), sum(r["killed"]["min"] for r in counted), sum(r["injured"]["min"] for r in counted)


def settled(factory: WorkerFactory, pages: list[dict]) -> dict[str, dict]:
    """The live incidents once every page is enriched and the incidents stopped changing."""
    factory.wait_for_ids(factory.settings.topics.enriched.name, {p["id"] for p in pages})
    previous: list = [None]

    def stable() -> bool:
        now = totals(factory.live_incidents())
        done = now == previous[0] and all_articles_in_incidents(factory, pages)
        previous[0] = now
        return done

    wait_for(stable, 300, lambda: f"the incidents never settled: {previous[0]}")
    return factory.live_incidents()


def test_pages_through_the_worker_give_the_expected_incidents_on_the_topic_and_the_api(workers, shared_data):
    factory = workers
    coded = coded_incidents(shared_data)
    pages = incident_pages(coded)
    worker = factory.start()
    factory.produce([(page["id"], orjson.dumps(page)) for page in pages])
    live = settled(factory, pages)
    figures = score(live, coded)
    offline = score(matched_offline(factory, len(pages)), coded)
    print(f"\n{len(pages)} pages, live {figures}\noffline {offline}")
    # The live stage sees the reports in the order the partitions deliver them, the offline matcher in
    # publication order: the same incidents within a report or two, and a sane grouping.
    assert figures["purity"] >= 0.9 and 0.8 <= figures["count_ratio"] <= 1.25
    for key in ("predicted", "killed", "injured"):
        assert abs(figures[key] - offline[key]) <= 0.05 * offline[key] + 2, (key, figures[key], offline[key])
    assert figures["killed_exact"] >= offline["killed_exact"] - 0.1

    # A page may place its incident abroad (a suspect's home country): the API filter keeps the US ones.
    us = {key: r for key, r in live.items() if ((r.get("place") or {}).get("country") or r["region"][:2]) == "US"}
    wait_for(
        lambda: api(worker.web_port, "/api/incidents?country=US&limit=200")["totals"]["incidents"] == totals(us)[0],
        60,
        lambda: (
            f"/api/incidents never matched the topic: "
            f"{api(worker.web_port, '/api/incidents?country=US&limit=200')['totals']} vs {totals(us)}"
        ),
    )
    answer = api(worker.web_port, "/api/incidents?country=US&limit=200")
    assert answer["following"] and answer["totals"]["killed"] == totals(us)[1]
    listed = answer["incidents"][0]
    assert listed["sources"] and listed["id"] in live and listed["sources"][0]["evidence"] is not None
    by_country = api(worker.web_port, "/api/casualties?by=country&window=1d")
    assert by_country["counts"] == "incidents"
    assert sum(row["outcomes"].get("killed", {}).get("total", 0) for row in by_country["rows"]) == totals(live)[1]
    by_admin1 = api(worker.web_port, "/api/casualties?by=admin1&window=1d")["rows"]
    assert "US" in {row["key"].split("/")[0] for row in by_admin1}
    figures_rows = api(worker.web_port, "/api/casualties?by=country&window=1d&count=figures")
    assert figures_rows["counts"] == "figures" and figures_rows["rows"]


def test_a_sigkill_mid_stream_gives_the_same_incident_totals_as_an_uninterrupted_run(
    workers, kafka, tmp_path, shared_data
):
    coded = coded_incidents(shared_data)
    pages = incident_pages(coded)

    calm = in_order(WorkerFactory(kafka, tmp_path / "uninterrupted"))
    try:
        calm.start()
        calm.produce([(page["id"], orjson.dumps(page)) for page in pages])
        expected = settled(calm, pages)
    finally:
        calm.stop_all()

    factory = in_order(workers)
    worker = factory.start()
    factory.produce([(page["id"], orjson.dumps(page)) for page in pages])
    enriched = factory.settings.topics.enriched.name
    wait_for(lambda: factory.end_offsets_total(enriched) >= len(pages) // 2, 600, "no progress before the kill")
    worker.stop(signal.SIGKILL)
    print(f"\nSIGKILL after {factory.end_offsets_total(enriched)} of {len(pages)} enriched events")
    factory.start()
    live = settled(factory, pages)
    assert totals(live) == totals(expected), (totals(live), totals(expected))
    assert sorted(live) == sorted(expected)
