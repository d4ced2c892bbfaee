"""Throughput, latency, scale-out and memory of the pipeline on the real local broker, in one run.

    .venv/bin/python bench/pipeline.py [--articles 1200] [--json bench/results/pipeline.json] [--soak 20000]
                                       [--sample-keys]

Figures (all measured in this run, on the same articles, so their ratios hold on a noisy 2-core machine):
  A          the enrichment code in-process, no Kafka (the `streams enrich` path), articles/s; measured first, and
             again just before and just after each one-worker pipeline phase ("A beside"), because these machines
             change speed from minute to minute: pipeline / A is taken against the mean of A beside
  plain      plain en_core_web_sm with all its components, one article at a time, articles/s
  B          a pass-through faust agent (same batching and orjson serialisation, no work), articles/s
  pipeline   ingest -> enriched with one worker, articles/s; then, once the rollups have caught up, end-to-end
             latency p50/p95/p99 at a steady offered load of half that throughput
  scale-out  the same with two worker processes on the 4-partition topic
  each of the pipeline and scale-out figures for three deployments (`streams worker --role`): "enrich", enrich
  workers alone (ingest -> enriched; the rollups, a downstream consumer, run elsewhere), "split", enrich workers
  beside one rollups process on the same machine, and "combined", workers running both roles
  memory     peak RSS of each worker; with --soak N, RSS after warm-up and at the end of N articles
The broker on STREAMS_KAFKA_PORT is used when it answers, else started here and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson
import psutil
from kafka.partitioner.default import murmur2

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from streams.casualties import extract_casualties  # noqa: E402
from streams.config import Settings, load_settings  # noqa: E402
from streams.enrichment.enricher import Enricher  # noqa: E402
from streams.kafka import broker  # noqa: E402
from tests.integration.harness import WorkerFactory, wait_for  # noqa: E402

SHARED = REPO_ROOT.parent / "shared" / "data"
SOURCES = ("wad-dev.jsonl", "acled2020-dev.jsonl", "gva-dev.jsonl")


def load_articles(count: int) -> list[dict]:
    """Real articles of mixed lengths: WAD and ACLED event descriptions, GVA full news pages, interleaved."""
    pools = [[orjson.loads(line) for line in (SHARED / name).read_bytes().splitlines()] for name in SOURCES]
    articles = []
    for index in range(count):
        pool = pools[index % len(pools)]
        row = pool[(index // len(pools)) % len(pool)]
        articles.append({"id": f"{row['id']}#{index}", "body": row["text"]})
    return articles


def words(articles: list[dict]) -> int:
    return sum(len(a["body"].split()) for a in articles)


def partition_of(key: str, partitions: int) -> int:
    """The partition kafka-python's (and Java's) default partitioner gives a key."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def word_shares(articles: list[dict], partitions: int) -> list[float]:
    """Each partition's share of the articles' words, as the producer will key them."""
    counts = [0] * partitions
    for article in articles:
        counts[partition_of(article["id"], partitions)] += len(article["body"].split())
    return [count / sum(counts) for count in counts]


def balance_keys(articles: list[dict], partitions: int) -> list[dict]:
    """The articles with ids suffixed so that every partition gets an equal share of the words, in every stretch
    of the run. A stream of thousands of articles spreads its work evenly over the partitions; a sample of 1,200
    keyed by its own ids does not (this bench's gave one partition twice the words of another), and the scale-out
    figure would then measure how the keys happened to hash. The ids still go through the producer's own
    partitioner; only their suffix is chosen."""
    loads = [0] * partitions
    balanced = []
    for article in articles:
        target = loads.index(min(loads))
        salt = 0
        while partition_of(f"{article['id']}~{salt}", partitions) != target:
            salt += 1
        balanced.append(dict(article, id=f"{article['id']}~{salt}"))
        loads[target] += len(article["body"].split())
    return balanced


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


class RssSampler:
    """Peak resident memory of a process (with its children), sampled in the background."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.process, self.interval, self.peak, self.last = psutil.Process(pid), interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss + sum(c.memory_info().rss for c in self.process.children(True))
            except psutil.Error:
                return
            self.last, self.peak = rss, max(self.peak, rss)
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class CpuMeter:
    """CPU time each named process spent (and what the machine left idle) while the block ran, per article."""

    def __init__(self, pids: dict[str, list[int]], articles: int):
        self.processes = {name: [psutil.Process(pid) for pid in group] for name, group in pids.items()}
        self.articles, self.used = articles, {}

    def _now(self) -> dict[str, float]:
        times = {name: sum(sum(p.cpu_times()[:2]) for p in group) for name, group in self.processes.items()}
        return {**times, "idle": psutil.cpu_times().idle}

    def __enter__(self) -> CpuMeter:
        self.started = self._now()
        return self

    def __exit__(self, *exc) -> None:
        ended = self._now()
        self.used = {name: round(1000 * (ended[name] - self.started[name]) / self.articles, 2) for name in ended}


def ceiling_a(enricher: Enricher, articles: list[dict]) -> float:
    """Ceiling A: articles/s of the enrichment code in this process, in the worker's batches, no Kafka."""
    size = enricher.batch_size
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    return len(articles) / timed(lambda: [enricher.enrich_batch(batch) for batch in batches])


def in_process(articles: list[dict], enricher: Enricher) -> dict:
    """Ceiling A, the plain-model baseline and the casualty stage's cost next to the entity stage's."""
    import spacy

    from streams.entities.nlp import MODEL_NAME

    batch_size = enricher.batch_size
    enricher.enrich_batch(articles[:batch_size])  # warm-up: lazy loads happen outside the timing
    a = ceiling_a(enricher, articles)

    texts = [a["body"] for a in articles]
    ner_seconds = timed(
        lambda: [
            enricher.recognizer.recognize_batch(texts[i : i + batch_size], batch_size)
            for i in range(0, len(texts), batch_size)
        ]
    )
    mentions = enricher.recognizer.recognize_batch(texts, batch_size)
    casualty_seconds = timed(lambda: [extract_casualties(t, entities=m) for t, m in zip(texts, mentions, strict=True)])

    plain = spacy.load(MODEL_NAME)
    plain_seconds = timed(lambda: [plain(text) for text in texts])
    return {
        "ceiling_a_articles_per_s": a,
        "plain_spacy_articles_per_s": len(articles) / plain_seconds,
        "entity_stage_seconds": ner_seconds,
        "casualty_stage_seconds": casualty_seconds,
    }


def produce(factory: WorkerFactory, articles: list[dict]) -> None:
    factory.produce([(a["id"], orjson.dumps(a)) for a in articles])


def warm_up(factory: WorkerFactory, topic: str) -> None:
    """One article through the worker, so model loading and first assignment stay out of the timings."""
    produce(factory, [{"id": "warm-up", "body": "Two people were killed in Kabul on Monday."}])
    wait_for(lambda: factory.end_offsets_total(topic) >= 1, 300, "warm-up article never came out")


def run_through(factory: WorkerFactory, articles: list[dict], topic: str) -> float:
    """Articles per second from the first send until all of them are on `topic`."""
    before = factory.end_offsets_total(topic)
    started = time.perf_counter()
    produce(factory, articles)
    wait_for(
        lambda: factory.end_offsets_total(topic) >= before + len(articles), 1800, f"not all articles reached {topic}"
    )
    return len(articles) / (time.perf_counter() - started)


def steady_load_latency(factory: WorkerFactory, articles: list[dict], rate: float, seconds: float) -> dict:
    """Offer `rate` articles/s for `seconds`; latency = enriched record time - raw record time, per article."""
    from streams.kafka.clients import json_producer

    topic = factory.settings.topics.enriched.name
    sent = [dict(a, id=f"latency-{i}-{a['id']}") for i, a in enumerate(articles[: int(rate * seconds)])]
    producer = json_producer(factory.settings, linger_ms=0)
    raw_times: dict[bytes, float] = {}
    started = time.perf_counter()
    for index, article in enumerate(sent):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        metadata = producer.send(factory.settings.topics.raw.name, key=article["id"], value=orjson.dumps(article))
        raw_times[article["id"].encode()] = metadata.get(timeout=30).timestamp / 1000
    producer.close()
    factory.wait_for_ids(topic, {a["id"] for a in sent})
    first: dict[bytes, float] = {}
    for record in factory.consume(topic, factory.end_offsets_total(topic)):
        if record.key in raw_times:
            first.setdefault(record.key, record.timestamp / 1000)
    latencies = sorted(first[key] - raw_times[key] for key in first)
    cut = statistics.quantiles(latencies, n=100)
    return {
        "offered_articles_per_s": rate,
        "articles": len(latencies),
        "p50_s": cut[49],
        "p95_s": cut[94],
        "p99_s": cut[98],
    }


def soak(factory: WorkerFactory, articles: list[dict], total: int) -> dict:
    worker = factory.start()
    sampler = RssSampler(worker.process.pid)
    warm_up(factory, factory.settings.topics.enriched.name)
    chunk = len(articles)
    rss_by_chunk = []
    for start in range(0, total, chunk):
        batch = [dict(a, id=f"soak-{start + i}") for i, a in enumerate(articles[: min(chunk, total - start)])]
        run_through(factory, batch, factory.settings.topics.enriched.name)
        rss_by_chunk.append(round(sampler.last / 2**20))
        print(f"soak: {start + len(batch)} articles, RSS {rss_by_chunk[-1]} MB", flush=True)
    result = {
        "articles": total,
        "rss_after_first_chunk_mb": rss_by_chunk[0],
        "rss_end_mb": rss_by_chunk[-1],
        "rss_by_chunk_mb": rss_by_chunk,
        "rss_peak_mb": sampler.stop() / 2**20,
    }
    worker.stop()
    return result


DEPLOYMENTS = {
    "enrich": "enrich worker(s), no rollups consumer",
    "split": "enrich worker(s) + one rollups process",
    "combined": "worker(s) running both roles",
}


def start_pipeline(factory: WorkerFactory, workers: int, deployment: str) -> tuple[list, object]:
    """Start `workers` processes of one deployment (`DEPLOYMENTS`). Returns (the processes that enrich, the
    process that keeps the rollups, None where no process does)."""
    if deployment == "combined":
        started = [factory.start() for _ in range(workers)]
        return started, started[0]
    rollups = factory.start(role="rollups") if deployment == "split" else None
    return [factory.start(role="enrich") for _ in range(workers)], rollups


def cpu_meter(factory: WorkerFactory, workers: list, rollups, articles: list[dict]) -> CpuMeter:
    """CPU of the workers, a rollups process of its own (split), the broker and this process (the producer)."""
    pids = {
        "workers": [w.process.pid for w in workers],
        "broker": [broker.read_pid(factory.settings.kafka)],
        "bench": [os.getpid()],
    }
    if rollups is not None and rollups not in workers:
        pids["rollups"] = [rollups.process.pid]
    return CpuMeter(pids, len(articles))


def one_worker(
    settings: Settings, articles: list[dict], scratch: Path, deployment: str, latency_seconds: float, enricher: Enricher
) -> dict:
    """Throughput between two measurements of A (the worker idle), then (once the rollups have caught up)
    latency at half load, and peak RSS, of one worker."""
    factory = WorkerFactory(settings, scratch)
    (worker,), rollups = start_pipeline(factory, 1, deployment)
    samplers = [RssSampler(worker.process.pid)]
    if rollups not in (worker, None):
        samplers.append(RssSampler(rollups.process.pid))
    warm_up(factory, factory.settings.topics.enriched.name)
    a_before = ceiling_a(enricher, articles)
    with cpu_meter(factory, [worker], rollups, articles) as cpu:
        result = {"articles_per_s": run_through(factory, articles, factory.settings.topics.enriched.name)}
    result.update(cpu_ms_per_article=cpu.used, ceiling_a_beside=[a_before, ceiling_a(enricher, articles)])
    if rollups is not None:
        factory.wait_for_rollups(rollups)  # steady state: the rollups have caught up with the burst above
    result["latency"] = steady_load_latency(factory, articles, result["articles_per_s"] / 2, latency_seconds)
    result["peak_rss_mb"] = [sampler.stop() / 2**20 for sampler in samplers]
    factory.stop_all()
    return result


def two_workers(settings: Settings, articles: list[dict], scratch: Path, deployment: str) -> dict:
    factory = WorkerFactory(settings, scratch)
    workers, rollups = start_pipeline(factory, 2, deployment)
    samplers = [RssSampler(w.process.pid) for w in workers]
    # warm-up articles on every partition, so both workers have loaded the model before the timing
    warm_ups = [{"id": f"warm-up-{i}", "body": "One man was shot dead."} for i in range(64)]
    produce(factory, warm_ups)
    factory.wait_for_ids(factory.settings.topics.enriched.name, {a["id"] for a in warm_ups})
    with cpu_meter(factory, workers, rollups, articles) as cpu:
        result = {"articles_per_s": run_through(factory, articles, factory.settings.topics.enriched.name)}
    result.update(cpu_ms_per_article=cpu.used, peak_rss_mb=[s.stop() / 2**20 for s in samplers])
    factory.stop_all()
    return result


def measure_on_kafka(
    settings: Settings, articles: list[dict], scratch: Path, latency_seconds: float, results: dict, enricher: Enricher
) -> None:
    """Ceiling B, then each deployment with one worker (throughput, latency, memory) and with two."""
    passthrough = WorkerFactory(settings, scratch / "b")
    out_topic = passthrough.settings.topics.enriched.name  # reused as the pass-through's output
    passthrough.start(command=[sys.executable, str(REPO_ROOT / "bench" / "passthrough.py"), out_topic])
    warm_up(passthrough, out_topic)
    results["ceiling_b_articles_per_s"] = run_through(passthrough, articles, out_topic)
    passthrough.stop_all()
    print(f"B {results['ceiling_b_articles_per_s']:.0f}/s", flush=True)

    for name in DEPLOYMENTS:
        one = one_worker(settings, articles, scratch / f"{name}-1", name, latency_seconds, enricher)
        print(f"{name}, 1 worker: {one}", flush=True)
        two = two_workers(settings, articles, scratch / f"{name}-2", name)
        print(f"{name}, 2 workers: {two}", flush=True)
        results[name] = {"one_worker": one, "two_workers": two}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--latency-seconds", type=float, default=30)
    parser.add_argument("--soak", type=int, default=0, help="also run a soak of this many articles")
    parser.add_argument("--soak-only", action="store_true", help="skip the other measurements (with --soak N)")
    parser.add_argument(
        "--sample-keys",
        action="store_true",
        help="key the articles by the sample's own ids (uneven words per partition)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    settings = load_settings()
    articles = load_articles(args.articles)
    partitions = settings.topics.partitions
    sample_shares = word_shares(articles, partitions)
    if not args.sample_keys:
        articles = balance_keys(articles, partitions)
    results: dict = {
        "articles": len(articles),
        "words_per_article": words(articles) / len(articles),
        "batch_size": settings.worker.batch_size,
        "balanced_keys": not args.sample_keys,
        "sample_key_word_shares": sample_shares,
        "word_shares": word_shares(articles, partitions),
    }
    print(
        f"{len(articles)} articles, {results['words_per_article']:.0f} words per article on average; words per "
        f"partition {shares_text(results['word_shares'])} (the sample's own ids: {shares_text(sample_shares)})",
        flush=True,
    )
    enricher = None if args.soak_only else Enricher(batch_size=settings.worker.batch_size)
    if not args.soak_only:
        results.update(in_process(articles, enricher))
        print(
            f"in-process: A {results['ceiling_a_articles_per_s']:.1f}/s, plain spaCy "
            f"{results['plain_spacy_articles_per_s']:.1f}/s",
            flush=True,
        )

    started_broker = not broker.answers_metadata(settings)
    if started_broker:
        broker.start(settings)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            if not args.soak_only:
                measure_on_kafka(settings, articles, scratch, args.latency_seconds, results, enricher)
            if args.soak:
                results["soak"] = soak(WorkerFactory(settings, scratch / "soak"), articles, args.soak)
    finally:
        if started_broker:
            broker.stop(settings)

    report(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


def shares_text(shares: list[float]) -> str:
    return "/".join(f"{100 * share:.0f}" for share in shares) + "%"


def cpu_row(used: dict[str, float], a_ms: float) -> str:
    return ", ".join(f"{name} {ms:.1f}" for name, ms in used.items()) + f" (A: {a_ms:.1f})"


def report(r: dict) -> None:
    if "ceiling_a_articles_per_s" not in r:
        s = r["soak"]
        print(
            f"soak of {s['articles']} articles: RSS after the first {r['articles']} "
            f"{s['rss_after_first_chunk_mb']:.0f} MB, at the end {s['rss_end_mb']:.0f} MB, "
            f"peak {s['rss_peak_mb']:.0f} MB"
        )
        return
    a, b = r["ceiling_a_articles_per_s"], r["ceiling_b_articles_per_s"]
    rows = [
        (
            "articles (words per article)",
            f"{r['articles']} ({r['words_per_article']:.0f})",
            f"words per partition {shares_text(r['word_shares'])}" + ("" if r["balanced_keys"] else " (--sample-keys)"),
        ),
        ("A: enrichment in-process, articles/s", f"{a:.1f}", ""),
        (
            "plain en_core_web_sm, one at a time, articles/s",
            f"{r['plain_spacy_articles_per_s']:.1f}",
            f"A / plain = {a / r['plain_spacy_articles_per_s']:.3f} (target >= 2)",
        ),
        (
            "casualty stage / entity stage time",
            f"{r['casualty_stage_seconds'] / r['entity_stage_seconds']:.2f}",
            "target <= 0.25",
        ),
        ("B: pass-through agent, articles/s", f"{b:.0f}", f"B / A = {b / a:.1f}"),
    ]
    for name, deployment in DEPLOYMENTS.items():
        one, two = r[name]["one_worker"], r[name]["two_workers"]
        rss, beside = one["peak_rss_mb"], statistics.mean(one["ceiling_a_beside"])
        rows += [
            (
                f"{name}: A just before / just after, articles/s",
                " / ".join(f"{x:.1f}" for x in one["ceiling_a_beside"]),
                f"A at the start: {a:.1f}",
            ),
            (
                f"{name}: 1 {deployment}, articles/s",
                f"{one['articles_per_s']:.1f}",
                f"pipeline / A beside = {one['articles_per_s'] / beside:.3f} (target >= 0.85); "
                f"/ A at the start = {one['articles_per_s'] / a:.3f}",
            ),
            (f"{name}: CPU ms per article, 1 worker", "", cpu_row(one["cpu_ms_per_article"], 1000 / beside)),
            (
                f"{name}: latency at half load p50 / p95 / p99, s",
                "{p50_s:.2f} / {p95_s:.2f} / {p99_s:.2f}".format(**one["latency"]),
                "target p99 <= 1 s",
            ),
            (
                f"{name}: 2 {deployment}, articles/s",
                f"{two['articles_per_s']:.1f}",
                f"2 workers / 1 = {two['articles_per_s'] / one['articles_per_s']:.3f} (target >= 1.6)",
            ),
            (f"{name}: CPU ms per article, 2 workers", "", cpu_row(two["cpu_ms_per_article"], 1000 / beside)),
            (
                f"{name}: worker peak RSS, MB",
                f"{rss[0]:.0f}",
                f"2 workers: {', '.join(f'{m:.0f}' for m in two['peak_rss_mb'])}"
                + (f"; rollups process: {rss[1]:.0f}" if len(rss) > 1 else "")
                + " (target <= 600)",
            ),
        ]
    if "soak" in r:
        s = r["soak"]
        rows.append(
            (
                f"soak of {s['articles']} articles, RSS MB first chunk / end / peak",
                f"{s['rss_after_first_chunk_mb']:.0f} / {s['rss_end_mb']:.0f} / {s['rss_peak_mb']:.0f}",
                "",
            )
        )
    width = max(len(name) for name, _, _ in rows)
    print()
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>14}  {note}")


if __name__ == "__main__":
    main()
