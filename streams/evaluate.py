"""Score casualty summaries against coded dev sets (WAD, ACLED, GVA) and the founding example.

Scoring follows ../shared/notes/evaluation.md: exact match of ``summary.killed.min`` and
``summary.injured.min`` (missing or null -> 0) against the coded counts, rows with a null
``injured`` skipped for injuries; ACLED also split into events with and without deaths.

    streams eval --set wad --data ../shared/data/wad-dev.jsonl [--enricher full|casualties-only] [--errors N]

`full` (the default) runs the enrichment `streams enrich` runs (entities, then casualty figures);
`casualties-only` runs the extractor alone, without entities, for quick iteration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

SETS = ("wad", "acled", "gva", "seed")
ERROR_KINDS = ("missed", "spurious", "vague", "summed wrongly", "wrong number")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%d-%B-%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")


def parse_date(value: object) -> str | None:
    """ISO date from the sets' date styles ("2016-01-06", "6-May-20", "January 12, 2014")."""
    if not isinstance(value, str):
        return None
    for style in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), style).date().isoformat()
        except ValueError:
            continue
    return None


def load_rows(set_name: str, path: str | Path) -> list[dict]:
    """Rows of a dev set; the seed file becomes one row holding its gold annotation."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"dev set not found: {path} (expected under ../shared/data/)")
    if set_name == "seed":
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = gold["article"]
        return [{"id": article["id"], "text": article["body"], "title": article.get("title"),
                 "date": article.get("published_at"), "deaths": 0, "injured": None,
                 "expected_casualties": gold["expected_casualties"]}]
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def to_raw_event(row: dict) -> dict:
    """The raw article event the pipeline would receive for a dev row."""
    event = {"id": str(row["id"]), "body": row.get("text") or ""}
    if row.get("title"):
        event["title"] = row["title"]
    published = parse_date(row.get("date"))
    if published:
        event["published_at"] = published
    return event


def casualties_only(events: list[dict]) -> list[dict]:
    """Enrich with the casualty extractor alone (no NER, so figures carry unlinked places)."""
    from streams.casualties import extract_casualties

    enriched = []
    for event in events:
        result = extract_casualties(event["body"], published_at=event.get("published_at"),
                                    title=event.get("title"))
        enriched.append({**event, "casualties": result.figures, "summary": result.summary})
    return enriched


def full_pipeline(events: list[dict]) -> list[dict]:
    """Enrich with the whole pipeline (entities, then casualties), as `streams enrich` does."""
    from streams.enrichment.enricher import Enricher

    return Enricher().enrich_batch(events)


def _summary_min(enriched: dict, outcome: str) -> int:
    value = ((enriched.get("summary") or {}).get(outcome) or {}).get("min")
    return value if isinstance(value, int) else 0


def classify_error(predicted: int, gold: int, figures: list[dict], outcome: str) -> str:
    """Why a prediction missed: missed, spurious, vague, summed wrongly, or wrong number."""
    if predicted == 0:
        return "missed"
    if gold == 0:
        return "spurious"
    incident = [f for f in figures if f.get("outcome") == outcome and not f.get("cumulative")]
    if any(f.get("in_incident_total") and f.get("count", {}).get("vague") for f in incident):
        return "vague"
    mins = [f.get("count", {}).get("min") for f in incident]
    if gold in mins or (predicted in mins and len(mins) > 1 and gold > predicted):
        return "summed wrongly"
    return "wrong number"


def score(rows: list[dict], enriched: list[dict], set_name: str) -> dict:
    """Exact-match scores and error breakdowns per outcome (and the ACLED split)."""
    report: dict = {"rows": len(rows)}
    for outcome, field in (("killed", "deaths"), ("injured", "injured")):
        scored = [(row, event) for row, event in zip(rows, enriched) if isinstance(row.get(field), int)]
        if not scored:
            continue
        errors: list[dict] = []
        correct = 0
        for row, event in scored:
            predicted, gold = _summary_min(event, outcome), row[field]
            if predicted == gold:
                correct += 1
                continue
            kind = classify_error(predicted, gold, event.get("casualties") or [], outcome)
            errors.append({"id": row["id"], "kind": kind, "gold": gold, "predicted": predicted,
                           "text": (row.get("title") or "") + " | " + (row.get("text") or "")})
        report[outcome] = {"n": len(scored), "exact": correct / len(scored),
                           "errors": dict(Counter(e["kind"] for e in errors)),
                           "examples": errors}
        if set_name == "acled" and outcome == "killed":
            with_deaths = [(r, e) for r, e in scored if r[field] > 0]
            without = [(r, e) for r, e in scored if r[field] == 0]
            report["acled_split"] = {
                "with_deaths": _share(with_deaths, lambda r, e: _summary_min(e, "killed") == r[field]),
                "with_deaths_n": len(with_deaths),
                "zero_predicted_zero": _share(without, lambda r, e: _summary_min(e, "killed") == 0),
                "zero_n": len(without)}
    if set_name == "seed":
        report["seed"] = score_seed(rows[0], enriched[0])
    return report


def _share(pairs: list, correct: Callable[[dict, dict], bool]) -> float:
    return sum(1 for row, event in pairs if correct(row, event)) / len(pairs) if pairs else 0.0


def score_seed(row: dict, enriched: dict) -> dict:
    """Hand-annotated figures found (outcome, min, source, cumulative) and the summary check."""
    figures = enriched.get("casualties") or []
    found = []
    for gold in row["expected_casualties"]:
        source = (gold.get("according_to") or "").lower()
        found.append(any(
            f.get("outcome") == gold.get("outcome", "killed")
            and f.get("count", {}).get("min") == gold["count"]["min"]
            and (not source or source in (f.get("according_to") or "").lower())
            and ("cumulative" not in gold or bool(f.get("cumulative")) == gold["cumulative"])
            for f in figures))
    mins = [g["count"]["min"] for g in row["expected_casualties"]]
    killed = _summary_min(enriched, "killed")
    return {"figures_found": sum(found), "figures_expected": len(found),
            "summary_killed": killed, "summary_adds_period_tolls": killed == sum(mins)}


def format_report(set_name: str, report: dict, errors_to_show: int) -> str:
    lines = [f"set {set_name}: {report['rows']} rows",
             f"{'outcome':<9} {'n':>5} {'exact':>7}  " + "  ".join(f"{k:>14}" for k in ERROR_KINDS)]
    for outcome in ("killed", "injured"):
        if outcome in report:
            part = report[outcome]
            lines.append(f"{outcome:<9} {part['n']:>5} {part['exact']:>7.3f}  "
                         + "  ".join(f"{part['errors'].get(k, 0):>14}" for k in ERROR_KINDS))
    if "acled_split" in report:
        split = report["acled_split"]
        lines.append(f"ACLED killed exact on events with deaths: {split['with_deaths']:.3f} "
                     f"(n={split['with_deaths_n']}); zero-death events predicted 0: "
                     f"{split['zero_predicted_zero']:.3f} (n={split['zero_n']})")
    if "seed" in report:
        seed = report["seed"]
        lines.append(f"seed figures found {seed['figures_found']}/{seed['figures_expected']}; "
                     f"summary killed {seed['summary_killed']}; "
                     f"adds period tolls: {seed['summary_adds_period_tolls']}")
    for outcome in ("killed", "injured"):
        for error in (report.get(outcome) or {}).get("examples", [])[:errors_to_show]:
            lines.append(f"  [{outcome} {error['kind']}] {error['id']} gold={error['gold']} "
                         f"pred={error['predicted']} :: {error['text'][:300]}")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="streams eval", description=__doc__.splitlines()[0])
    parser.add_argument("--set", required=True, choices=SETS)
    parser.add_argument("--data", required=True, help="path to the dev file (JSONL, or the seed JSON)")
    parser.add_argument("--enricher", choices=("full", "casualties-only"), default="full")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per outcome")
    args = parser.parse_args(list(argv) if argv is not None else None)
    enricher = args.enricher
    rows = load_rows(args.set, args.data)
    events = [to_raw_event(row) for row in rows]
    enriched = (full_pipeline if enricher == "full" else casualties_only)(events)
    print(f"enricher: {enricher}")
    print(format_report(args.set, score(rows, enriched, args.set), args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
