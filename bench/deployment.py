"""The default deployment (`streams worker`, role all, as scripts/demo runs it) against the enrichment in-process.

    .venv/bin/python bench/deployment.py [--short 1166] [--mixed 1200] [--latency-seconds 20] [--json FILE]
                                         [--workloads short,mixed]

For each workload, in one run (so that the ratios hold on a noisy 2-core machine):
  short      WAD event descriptions (one or two sentences each), the most common input of a conflict monitor
  mixed      WAD and ACLED descriptions and GVA news pages interleaved (bench/pipeline.py's set)
  A          `streams enrich`'s code in-process over the same lines, no Kafka, in the worker's batches, articles/s;
             measured just before and just after the one-worker phase (start-up excluded), taken as their mean
  1 worker   one `streams worker` (role all: enrichment, places, rollups and the incident stage) from the first
             send until every article is on the enriched topic (the model, gazetteer and first assignment loaded
             beforehand), articles/s; the ratio 1 worker / A is printed with three decimals
  latency    once the rollups have caught up, p50/p95/p99 of enriched record time - raw record time at a steady
             offered load of half the one-worker throughput
  2 workers  the same deployment with two worker processes on the 4-partition topic, 2 workers / 1
  RSS        peak resident memory of each worker (gazetteer and incident state loaded)
  incidents  records on the incident reports and incidents topics at the end, so a run shows the stage worked
The broker on STREAMS_KAFKA_PORT is used when it answers, else started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import (
    SHARED,
    RssSampler,
    balance_keys,
    ceiling_a,
    cpu_meter,
    load_articles,
    produce,
    run_through,
    steady_load_latency,
    warm_up,
    words,
)

from streams.config import Settings, load_settings
from streams.enrichment.enricher import Enricher
from streams.kafka import broker
from tests.integration.harness import WorkerFactory


def load_short(count: int) -> list[dict]:
    """WAD descriptions, repeated with new ids past the file's end."""
    rows = [orjson.loads(line) for line in (SHARED / "wad-dev.jsonl").read_bytes().splitlines()]
    return [{"id": f"{rows[i % len(rows)]['id']}#{i}", "body": rows[i % len(rows)]["text"]} for i in range(count)]


def incident_counts(factory: WorkerFactory) -> dict[str, int]:
    topics = factory.settings.topics
    return {
        "incident_reports": factory.end_offsets_total(topics.incident_reports.name),
        "incidents": factory.end_offsets_total(topics.incidents.name),
    }


def one_worker(settings: Settings, articles: list[dict], scratch: Path, latency_s: float, enricher: Enricher) -> dict:
    """A, one default worker's throughput, A again; latency at half load once the rollups caught up; RSS."""
    factory = WorkerFactory(settings, scratch)
    worker = factory.start()
    sampler = RssSampler(worker.process.pid)
    enriched = factory.settings.topics.enriched.name
    warm_up(factory, enriched)
    a_before = ceiling_a(enricher, articles)
    with cpu_meter(factory, [worker], worker, articles) as cpu:
        result: dict = {"articles_per_s": run_through(factory, articles, enriched)}
    result.update(cpu_ms_per_article=cpu.used, ceiling_a_beside=[a_before, ceiling_a(enricher, articles)])
    factory.wait_for_rollups(worker)
    result["latency"] = steady_load_latency(factory, articles, result["articles_per_s"] / 2, latency_s)
    result["topics_at_end"] = incident_counts(factory)
    result["peak_rss_mb"] = sampler.stop() / 2**20
    factory.stop_all()
    return result


def two_workers(settings: Settings, articles: list[dict], scratch: Path) -> dict:
    factory = WorkerFactory(settings, scratch)
    workers = [factory.start() for _ in range(2)]
    samplers = [RssSampler(w.process.pid) for w in workers]
    warm_ups = [{"id": f"warm-up-{i}", "body": "One man was shot dead in Kabul."} for i in range(64)]
    produce(factory, warm_ups)
    factory.wait_for_ids(factory.settings.topics.enriched.name, {a["id"] for a in warm_ups})
    with cpu_meter(factory, workers, workers[0], articles) as cpu:
        result: dict = {"articles_per_s": run_through(factory, articles, factory.settings.topics.enriched.name)}
    result.update(cpu_ms_per_article=cpu.used, peak_rss_mb=[s.stop() / 2**20 for s in samplers])
    result["topics_at_end"] = incident_counts(factory)
    factory.stop_all()
    return result


def measure(settings: Settings, name: str, articles: list[dict], scratch: Path, latency_s: float) -> dict:
    enricher = Enricher(batch_size=settings.worker.batch_size)
    enricher.enrich_batch(articles[: enricher.batch_size])  # lazy loads outside the timings
    result: dict = {"articles": len(articles), "words_per_article": words(articles) / len(articles)}
    result["one_worker"] = one_worker(settings, articles, scratch / f"{name}-1", latency_s, enricher)
    print(f"{name}, 1 worker: {result['one_worker']}", flush=True)
    result["two_workers"] = two_workers(settings, articles, scratch / f"{name}-2")
    print(f"{name}, 2 workers: {result['two_workers']}", flush=True)
    one, two = result["one_worker"], result["two_workers"]
    beside = statistics.mean(one["ceiling_a_beside"])
    result["ratios"] = {
        "deployment_over_in_process": one["articles_per_s"] / beside,
        "two_workers_over_one": two["articles_per_s"] / one["articles_per_s"],
        "a_after_over_a_before": one["ceiling_a_beside"][1] / one["ceiling_a_beside"][0],
    }
    return result


def report(results: dict) -> None:
    for name in results["workloads"]:
        r = results[name]
        one, two, ratios = r["one_worker"], r["two_workers"], r["ratios"]
        lat = one["latency"]
        print(
            f"\n{name}: {r['articles']} articles, {r['words_per_article']:.0f} words each on average\n"
            f"  A before / after, articles/s        {one['ceiling_a_beside'][0]:.1f} / {one['ceiling_a_beside'][1]:.1f}"
            f"  (after / before {ratios['a_after_over_a_before']:.3f}: the machine's noise)\n"
            f"  default deployment, 1 worker       {one['articles_per_s']:.1f}/s\n"
            f"  default deployment / in-process    {ratios['deployment_over_in_process']:.3f}  (target >= 0.85)\n"
            f"  2 workers                          {two['articles_per_s']:.1f}/s\n"
            f"  2 workers / 1                      {ratios['two_workers_over_one']:.3f}  (target >= 1.6)\n"
            f"  latency at half load p50/p95/p99   {lat['p50_s']:.3f} / {lat['p95_s']:.3f} / {lat['p99_s']:.3f} s"
            f"  (target p99 <= 1 s)\n"
            f"  worker peak RSS                    {one['peak_rss_mb']:.0f} MB; 2 workers "
            f"{' / '.join(f'{m:.0f}' for m in two['peak_rss_mb'])} MB  (target <= 600)\n"
            f"  CPU ms per article, 1 worker       {one['cpu_ms_per_article']}\n"
            f"  incident stage, topics at the end  {one['topics_at_end']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=1166, help="WAD descriptions (short reports)")
    parser.add_argument("--mixed", type=int, default=1200, help="articles of the mixed set")
    parser.add_argument("--workloads", default="short,mixed")
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    settings = load_settings()
    partitions = settings.topics.partitions
    loaders = {"short": lambda: load_short(args.short), "mixed": lambda: load_articles(args.mixed)}
    workloads = args.workloads.split(",")
    results: dict = {"workloads": workloads, "batch_size": settings.worker.batch_size, "started": time.time()}
    started_broker = not broker.answers_metadata(settings)
    if started_broker:
        broker.start(settings)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for name in workloads:
                articles = balance_keys(loaders[name](), partitions)
                results[name] = measure(settings, name, articles, Path(scratch), args.latency_seconds)
    finally:
        if started_broker:
            broker.stop(settings)
    report(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
