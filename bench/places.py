"""Place-stage benchmark: the gazetteer's memory in a worker process and the stage's cost beside the entity stage.

    .venv/bin/python bench/places.py [--limit 400] [--output bench/results/places-<time>.json]

In one process, as a worker holds them: RSS with the entity stage loaded (spaCy, its gazetteer) and warmed, then
with the place stage's gazetteer loaded and after placing every article (so the lookups' memo counts); a warmed
worker reuses memory it freed, so the gazetteer's own footprint is also measured in a fresh process. Time: the entity
stage (EntityRecognizer.recognize_batch, batched as the enricher runs it) and the place stage
(PlaceStage.place_article on the enriched events) on the same articles of the ACLED and GVA dev sets, in turns,
best of --repeats runs each, as the machine is shared; and the gazetteer lookups alone (every name the stage
looks up, without the lookup memo). The gazetteer's cache is built first in a child process (its build
time and the child's peak RSS are reported too, with --rebuild). Targets: at most 150 MB extra RSS, place stage at
most 5% of the entity stage's time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from streams.places import gazetteer as places_gazetteer  # noqa: E402

DATA = REPO_ROOT.parent / "shared" / "data"
MB = 1024 * 1024


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / MB


def articles(limit: int) -> dict[str, list[dict]]:
    """The first `limit` ACLED notes and GVA pages as raw articles."""
    acled, gva = [], []
    with open(DATA / "acled2020-dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            acled.append({"id": row["id"], "body": row["text"], "published_at": row.get("date") or ""})
    with open(DATA / "gva-incidents-dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            for page in json.loads(line)["articles"]:
                gva.append({"id": page["id"], "body": page["body"], "title": page.get("title") or ""})
    return {"acled2020-dev": acled[:limit], "gva-incidents-dev": gva[:limit]}


def build_cost(rebuild: bool) -> dict:
    """Build time and peak RSS of the child process that builds the gazetteer (only with --rebuild)."""
    if not rebuild:
        started = time.perf_counter()
        places_gazetteer.ensure_built()
        return {"built_now": False, "seconds": round(time.perf_counter() - started, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        places_gazetteer.ensure_built(Path(tmp) / "places.npz")
        seconds = time.perf_counter() - started
        size = (Path(tmp) / "places.npz").stat().st_size
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "built_now": True,
        "seconds": round(seconds, 2),
        "child_peak_rss_mb": round(peak_kb / 1024, 1),
        "cache_file_mb": round(size / MB, 1),
    }


_FRESH = """
import json, sys, psutil
rss = lambda: psutil.Process().memory_info().rss / 2**20
import numpy, orjson, spacy
before = rss()
from streams.places import PlaceStage
stage = PlaceStage()
loaded = rss()
print(json.dumps({"before": before, "loaded": loaded}))
"""


def fresh_process_rss() -> dict:
    """RSS of a new process before and after loading the place stage (numpy and spaCy imported first, as in a
    worker), so memory freed by earlier work cannot hide the gazetteer's own."""
    out = subprocess.run([sys.executable, "-c", _FRESH], check=True, capture_output=True, text=True, cwd=REPO_ROOT)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "before": round(found["before"], 1),
        "with_place_stage": round(found["loaded"], 1),
        "extra": round(found["loaded"] - found["before"], 1),
    }


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def lookup_seconds(stage, events: list[dict]) -> tuple[int, float]:
    """How many gazetteer lookups placing the events makes, and their time without the lookup memo."""
    names: list[str] = []
    original = stage.gazetteer.lookup
    stage.gazetteer.lookup = lambda name: names.append(name) or original(name)
    try:
        for event in events:
            stage.place_article(event)
    finally:
        stage.gazetteer.lookup = original
    started = time.perf_counter()
    for name in names:
        stage.gazetteer._lookup_uncached(name)
    return len(names), time.perf_counter() - started


def stage_costs(enricher, stage, rows: list[dict], events: list[dict], repeats: int) -> dict:
    """Entity stage and place stage on the same articles, measured in turns (best of `repeats` each)."""
    from streams.enrichment.enricher import mask_markup

    texts = [mask_markup(r["body"]) for r in rows]
    entity, place = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        enricher.recognizer.recognize_batch(texts, batch_size=32)
        entity.append(time.perf_counter() - started)
        started = time.perf_counter()
        for event in events:
            stage.place_article(event)
        place.append(time.perf_counter() - started)
    lookups, lookup_time = lookup_seconds(stage, events)
    entity_seconds, place_seconds = min(entity), min(place)
    return {
        "articles": len(rows),
        "characters": sum(len(t) for t in texts),
        "entity_stage_seconds": round(entity_seconds, 3),
        "place_stage_seconds": round(place_seconds, 3),
        "place_ms_per_article": round(1000 * place_seconds / max(1, len(rows)), 3),
        "place_share_of_entity_stage": round(place_seconds / entity_seconds, 4),
        "gazetteer_lookups": lookups,
        "lookup_seconds_unmemoised": round(lookup_time, 4),
        "lookup_share_of_entity_stage": round(lookup_time / entity_seconds, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=400, help="articles per set")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="also time a fresh gazetteer build (child process)")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    build = build_cost(args.rebuild)
    from streams.enrichment.enricher import Enricher

    enricher = Enricher()
    sets = articles(args.limit)
    enriched = {name: enricher.enrich_batch(rows) for name, rows in sets.items()}  # warms the entity stage
    rss_before = rss_mb()
    from streams.places import PlaceStage

    started = time.perf_counter()
    stage = PlaceStage()
    load_seconds = time.perf_counter() - started
    rss_loaded = rss_mb()
    for events in enriched.values():
        for event in events:
            stage.place_article(event)
    rss_after = rss_mb()
    timing = {name: stage_costs(enricher, stage, rows, enriched[name], args.repeats) for name, rows in sets.items()}
    result = {
        "gazetteer_build": build,
        "gazetteer_load_seconds": round(load_seconds, 3),
        "fresh_process_rss_mb": fresh_process_rss(),
        "rss_mb": {
            "entity_stage_loaded": round(rss_before, 1),
            "with_gazetteer": round(rss_loaded, 1),
            "after_placing": round(rss_after, 1),
            "extra": round(rss_after - rss_before, 1),
        },
        "timing": timing,
        "targets": {"extra_rss_mb_max": 150, "place_share_max": 0.05},
    }
    text = json.dumps(result, indent=2)
    print(text)
    output = args.output or REPO_ROOT / "bench" / "results" / f"places-{time.strftime('%Y%m%d-%H%M%S')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
