"""Rollups end to end on the real broker: articles in, the same totals from /api/casualties and from the
`casualties` topic, one incident reported by two articles counted once, replays not counted, totals recovered
from the changelogs by a fresh worker, and /metrics scraped."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import orjson
import pytest

from streams.rollups import rollup

from .harness import api, api_totals_by_key, as_json, http_get, wait_for

pytestmark = pytest.mark.integration

WAD_ARTICLES = 12


def baghdad_key(figures: list[dict]) -> str:
    """The place key the place stage gives wad-2016-00018's killed figure (Baghdad): the second report must share it."""
    return next(
        f["place_key"] for f in figures if f["article_id"] == "wad-2016-00018" and f["figure"]["outcome"] == "killed"
    )


# Reports the incident of wad-2016-00018 (Baghdad, 11 January 2016, at least 12 killed) in other words.
SECOND_REPORT = {
    "id": "second-report-baghdad",
    "published_at": "2016-01-11",
    "source": "Wire",
    "body": "Twelve people were killed and 40 others wounded when a bomb exploded at a market in Baghdad, police said.",
}
METRICS = (
    "streams_messages_in_total",
    "streams_messages_out_total",
    "streams_dead_letters_total",
    "streams_stage_duration_seconds_bucket",
    "streams_end_to_end_latency_seconds_bucket",
    "streams_consumer_lag_messages",
    "streams_figures_extracted_total",
    "streams_rollup_figures_total",
)


def dev_articles(shared_data) -> list[dict]:
    seed = json.loads((shared_data / "seed-article.gold.json").read_text())["article"]
    rows = [json.loads(line) for line in (shared_data / "wad-dev.jsonl").read_text().splitlines()[:WAD_ARTICLES]]
    return [seed] + [{"id": row["id"], "body": row["text"], "published_at": row["date"]} for row in rows]


def wait_until_api_agrees(port: int, expected: dict[str, dict]) -> None:
    """Wait until the worker's totals, by place and country in every window, are `expected` (from the topic)."""

    def agrees() -> bool:
        return all(
            api_totals_by_key(port, by, window) == expected[by]
            for by in ("place", "country")
            for window in ("24h", "7d", "1d")
        )

    wait_for(
        agrees,
        120,
        lambda: (
            f"API totals never matched the topic:\n{api_totals_by_key(port, 'place', '7d')}"
            f"\nexpected {expected['place']}"
        ),
    )


def test_api_totals_match_the_casualties_topic_and_count_each_incident_once(workers, shared_data):
    articles = dev_articles(shared_data) + [SECOND_REPORT]
    replayed = articles[5]
    worker = workers.start()
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles + [replayed]] + [(b"bad", b"not json")])

    enriched = as_json(workers.consume(workers.settings.topics.enriched.name, len(articles) + 1))
    figure_count = sum(len(event["casualties"]) for event in enriched)
    figures = as_json(workers.consume(workers.settings.topics.casualties.name, figure_count))
    baghdad_reports = {
        f["article_id"]
        for f in figures
        if f["place_key"] == baghdad_key(figures) and f["figure"]["outcome"] == "killed"
    }
    assert baghdad_reports == {"wad-2016-00018", SECOND_REPORT["id"]}, "the incident must come in twice"

    expected = {by: rollup(figures, by) for by in ("place", "country")}
    wait_until_api_agrees(worker.web_port, expected)
    baghdad = api_totals_by_key(worker.web_port, "place", "7d")[baghdad_key(figures)]["outcomes"]["killed"]
    assert baghdad["total"] == 12 and baghdad["incidents"] == 1
    assert api_totals_by_key(worker.web_port, "country", "24h")["IQ"]["outcomes"]["killed"]["total"] >= 12

    status, body, _ = http_get(worker.web_port, "/health")
    assert status == 200 and orjson.loads(body)["ready"]
    article = api(worker.web_port, f"/api/articles/{articles[0]['id']}")
    assert article["id"] == articles[0]["id"] and "body" not in article and article["casualties"]
    assert http_get(worker.web_port, "/api/articles/no-such-article")[0] == 404
    actors = api(worker.web_port, "/api/entities/top?label=ORG,PERSON,NORP&window=7d&limit=5")["rows"]
    assert actors and len(actors) <= 5 and actors[0]["articles"] >= actors[-1]["articles"]
    assert any(row["canonical"] == "Islamic State" for row in actors)
    latest = api(worker.web_port, "/api/figures/latest?limit=50")["rows"]
    assert {row["id"] for row in latest} <= {f["event_id"] for f in figures} and latest[0]["evidence"]
    assert http_get(worker.web_port, "/api/casualties?by=planet")[0] == 400
    request = urllib.request.Request(f"http://127.0.0.1:{worker.web_port}/api/casualties", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 405

    wait_for(
        lambda: b"streams_consumer_lag_messages{" in http_get(worker.web_port, "/metrics")[1],
        60,
        "the consumer lag gauge was never set",
    )
    status, body, headers = http_get(worker.web_port, "/metrics")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    for name in METRICS:
        assert f"\n{name}{{" in text, f"{name} missing from /metrics"
    assert 'streams_dead_letters_total{reason="not_json"} 1.0' in text
    assert 'since="published_at"' in text and 'since="ingest"' in text
    assert 'streams_rollup_figures_total{result="duplicate",scope="place"}' in text

    # A new worker (fresh local state) recovers the totals from the changelogs; a replay still counts once.
    worker.stop()
    fresh = workers.start()
    workers.produce([(replayed["id"], orjson.dumps(replayed))])
    workers.consume(workers.settings.topics.enriched.name, len(articles) + 2)
    wait_until_api_agrees(fresh.web_port, expected)


def test_an_enrich_worker_and_a_rollups_worker_split_the_work_and_give_the_same_totals(workers, shared_data):
    """Roles in separate processes: the enrich worker serves no rollup API; the rollups worker, in a consumer
    group of its own, counts each incident once from the enrich worker's output."""
    articles = dev_articles(shared_data) + [SECOND_REPORT]
    enrich = workers.start(role="enrich")
    rollups = workers.start(role="rollups")
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles])

    enriched = as_json(workers.consume(workers.settings.topics.enriched.name, len(articles)))
    figures = as_json(
        workers.consume(workers.settings.topics.casualties.name, sum(len(event["casualties"]) for event in enriched))
    )
    wait_until_api_agrees(rollups.web_port, {by: rollup(figures, by) for by in ("place", "country")})
    baghdad = api_totals_by_key(rollups.web_port, "place", "7d")[baghdad_key(figures)]["outcomes"]["killed"]
    assert baghdad["total"] == 12 and baghdad["incidents"] == 1
    assert api(rollups.web_port, f"/api/articles/{articles[0]['id']}")["id"] == articles[0]["id"]
    assert api(rollups.web_port, "/health")["ready"]
    assert api(enrich.web_port, "/health")["model_loaded"]
    assert http_get(enrich.web_port, "/api/casualties")[0] == 404
    rollup_groups = api(rollups.web_port, "/api/pipeline")["scope"]["partitions"]
    topics = workers.settings.topics
    assert set(rollup_groups) == {topics.enriched.name, topics.casualties.name, topics.incident_reports.name}
