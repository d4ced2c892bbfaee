"""Incidents across reports, end to end: the GVA incident pages through the real broker and the worker.

    STREAMS_KAFKA_PORT=17092 STREAMS_KAFKA_CONTROLLER_PORT=17093 \\
        .venv/bin/python bench/incidents.py [--data ../shared/data/gva-incidents-dev.jsonl] [--order file|publication]
        [--json bench/results/incidents-<date>.json]

Every page goes to `articles.raw` (keyed by page id, in the order of the data file unless told) and through one
`streams worker` as scripts/demo starts it (role all, the default settings, topics and state of its own); then
`incidents` is read from its start to its end (last value per key, tombstones and `merged_into` records
dropped) and scored as /work/shared/notes/evaluation.md says ("Incidents across reports"), by
`streams.incidents.scoring.score`: summed killed.min and injured.min against the coded sums, the number of
incidents with a toll against the coded one, per coded incident the exact killed / injured of the predicted
incident holding most of its pages, purity. Also reported: both halves, the time the run took, and the size of
the region index and the largest incident state (what the matcher rewrites per article).
The broker on STREAMS_KAFKA_PORT is used when it answers, else started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import orjson
from kafka import TopicPartition

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from streams.config import load_settings  # noqa: E402
from streams.incidents.scoring import DEFAULT_DATA, format_figures, half_of, load_coded, score  # noqa: E402
from streams.kafka import broker  # noqa: E402
from streams.kafka.clients import raw_consumer  # noqa: E402
from tests.integration.harness import WorkerFactory, incident_pages, wait_for  # noqa: E402


def pages_of(coded: list[dict], order: str) -> list[dict]:
    pages = incident_pages(coded)
    if order == "publication":
        pages.sort(key=lambda page: (page.get("published_at") or "", page["id"]))
    return pages


def reports_done(factory: WorkerFactory, group: str) -> bool:
    """Every incident report consumed: the matcher's committed offsets reached the end of the reports topic."""
    topic = factory.settings.topics.incident_reports.name
    consumer = raw_consumer(factory.settings, group_id=group, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in range(factory.settings.topics.partitions)]
        ends = consumer.end_offsets(partitions)
        return all((consumer.committed(tp) or 0) >= end for tp, end in ends.items())
    finally:
        consumer.close()


class QuietTopic:
    """True once the topic has taken no record for `seconds` (faust can leave commits behind, faust #318)."""

    def __init__(self, factory: WorkerFactory, topic: str, seconds: float) -> None:
        self.factory, self.topic, self.seconds = factory, topic, seconds
        self.total, self.since = -1, time.monotonic()

    def __call__(self) -> bool:
        total = self.factory.end_offsets_total(self.topic)
        if total != self.total:
            self.total, self.since = total, time.monotonic()
        return time.monotonic() - self.since >= self.seconds


def run(coded: list[dict], order: str, scratch: Path) -> dict:
    settings = load_settings()
    factory = WorkerFactory(settings, scratch)  # topics, incident topics included, and state of its own
    pages = pages_of(coded, order)
    factory.start()
    started = time.monotonic()
    try:
        factory.produce([(page["id"], orjson.dumps(page)) for page in pages])
        factory.wait_for_ids(factory.settings.topics.enriched.name, {page["id"] for page in pages}, timeout=3600)
        enriched_s = time.monotonic() - started
        group = factory.env["STREAMS_WORKER_APP_ID"]
        quiet = QuietTopic(factory, factory.settings.topics.incidents.name, seconds=60)
        wait_for(lambda: reports_done(factory, group) or quiet(), 1800, "the matcher never caught up")
        time.sleep(3)  # the last records' sends are drained before the commit that marked them done
        live = factory.live_incidents()
        elapsed = time.monotonic() - started
    finally:
        factory.stop_all()
    print(f"{len(pages)} pages enriched in {enriched_s:.0f} s, incidents read after {elapsed:.0f} s", flush=True)
    halves = {half: [c for c in coded if half_of(c["incident_id"]) == half] for half in ("A", "B")}
    figures = {"all": score(live, coded)} | {f"half {half}": score(live, chosen) for half, chosen in halves.items()}
    return {"order": order, "pages": len(pages), "seconds": round(elapsed, 1), "live": len(live), **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--order", choices=("file", "publication"), default="file")
    default_json = REPO_ROOT / "bench" / "results" / f"incidents-{date.today().isoformat()}.json"
    parser.add_argument("--json", type=Path, default=default_json)
    args = parser.parse_args()
    settings = load_settings()
    started_here = not broker.answers_metadata(settings)
    if started_here:
        broker.start(settings)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-incidents-") as scratch:
            result = run(load_coded(args.data), args.order, Path(scratch))
    finally:
        if started_here:
            broker.stop(settings)
    for name in ("half A", "half B", "all"):
        print(format_figures(name, result[name]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
