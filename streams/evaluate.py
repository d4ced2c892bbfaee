"""Score casualty summaries against coded dev sets (WAD, ACLED, GVA, GVA incident pages) and the founding example.

Scoring follows ../shared/notes/evaluation.md: exact match of ``summary.killed.min`` and
``summary.injured.min`` (missing or null -> 0) against the coded counts, rows with a null
``injured`` skipped for injuries; ACLED also split into events with and without deaths. Beside
exact match, what a dashboard that adds figures up sees: the sum ratio per outcome (predictions
summed over coded values summed) and the rows with an absurd toll (prediction > 3 x coded + 5),
each listed with the evidence sentences of the figures it summed.

    streams eval --set wad --data ../shared/data/wad-dev.jsonl [--enricher full|casualties-only]
                 [--half a|b|all] [--errors N] [--entity-cache FILE]

`full` (the default) runs the enrichment `streams enrich` runs (entities, then casualty figures);
`casualties-only` runs the extractor alone, without entities, for quick iteration. ``--half``
scores one half of the set (rows split by a stable hash of their id; the pages of a GVA incident
by the incident's id, so one incident never sits in both); ``all`` reports the whole set and each
half, so that a rule tuned on one half can be checked on the other. ``--entity-cache`` keeps the
entity stage's mentions per text in a file, so repeated runs of the full enricher only pay for
the casualty stage (the figures are the same as without it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, cast

SETS = ("wad", "acled", "gva", "gva-incidents", "seed")
HALVES = ("a", "b")
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
        return [
            {
                "id": article["id"],
                "text": article["body"],
                "title": article.get("title"),
                "date": article.get("published_at"),
                "deaths": 0,
                "injured": None,
                "expected_casualties": gold["expected_casualties"],
            }
        ]
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    if set_name == "gva-incidents":
        return [page_row(incident, page) for incident in rows for page in incident.get("articles") or []]
    return rows


def page_row(incident: dict, page: dict) -> dict:
    """One page of a GVA incident as a row scored against the incident's coded counts."""
    return {
        "id": page["id"],
        "incident_id": str(incident["incident_id"]),
        "title": page.get("title"),
        "text": page.get("body") or "",
        "date": page.get("published_at") or incident.get("date"),
        "deaths": incident.get("killed"),
        "injured": incident.get("injured"),
    }


def half_of(row: dict) -> str:
    """ "a" or "b": a stable hash of the row's id (a page's incident id, so an incident stays whole)."""
    key = str(row.get("incident_id") or row["id"])
    return HALVES[hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()[0] % 2]


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
        result = extract_casualties(event["body"], published_at=event.get("published_at"), title=event.get("title"))
        enriched.append({**event, "casualties": result.figures, "summary": result.summary})
    return enriched


def full_pipeline(events: list[dict], entity_cache: str | None = None) -> list[dict]:
    """Enrich with the whole pipeline (entities, then casualties), as `streams enrich` does."""
    from streams.enrichment.enricher import Enricher

    if entity_cache is None:
        return Enricher().enrich_batch(events)
    return Enricher(recognizer=cast(Any, _CachedRecognizer(Path(entity_cache)))).enrich_batch(events)


class _CachedRecognizer:
    """The entity recognizer behind a file of its mentions per text (keyed by a digest of the text)."""

    def __init__(self, path: Path):
        self.path = path
        self.known: dict[str, list[dict]] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def recognize_batch(self, texts: list[str], batch_size: int = 64) -> list[list[dict]]:
        keys = [hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() for text in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in self.known}
        if missing:
            from streams.entities import EntityRecognizer

            found = EntityRecognizer().recognize_batch(list(missing.values()), batch_size=batch_size)
            self.known.update(zip(missing, found, strict=True))
            self.path.write_text(json.dumps(self.known), encoding="utf-8")
        return [self.known[key] for key in keys]


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


def is_absurd(predicted: int, gold: int) -> bool:
    """A toll no reading of the text supports: more than three times the coded count plus five."""
    return predicted > 3 * gold + 5


def summed_evidence(figures: list[dict], outcome: str) -> list[str]:
    """The sentences of the figures an outcome's incident total holds, each with its count."""
    return [
        f"{(f.get('count') or {}).get('min')}: {(f.get('evidence') or {}).get('sentence') or ''}"
        for f in figures
        if f.get("outcome") == outcome and f.get("in_incident_total")
    ]


def score_outcome(scored: list[tuple[dict, dict]], outcome: str, field: str) -> dict:
    """Exact match, error kinds, sum ratio and absurd rows of one outcome over its scored rows."""
    errors: list[dict] = []
    absurd: list[dict] = []
    correct = predicted_sum = gold_sum = 0
    for row, event in scored:
        predicted, gold = _summary_min(event, outcome), row[field]
        predicted_sum, gold_sum = predicted_sum + predicted, gold_sum + gold
        figures = event.get("casualties") or []
        if is_absurd(predicted, gold):
            absurd.append(
                {
                    "id": row["id"],
                    "half": half_of(row),
                    "gold": gold,
                    "predicted": predicted,
                    "evidence": summed_evidence(figures, outcome),
                }
            )
        if predicted == gold:
            correct += 1
            continue
        errors.append(
            {
                "id": row["id"],
                "kind": classify_error(predicted, gold, figures, outcome),
                "gold": gold,
                "predicted": predicted,
                "text": (row.get("title") or "") + " | " + (row.get("text") or ""),
            }
        )
    return {
        "n": len(scored),
        "exact": correct / len(scored),
        "predicted_sum": predicted_sum,
        "gold_sum": gold_sum,
        "sum_ratio": predicted_sum / gold_sum if gold_sum else None,
        "errors": dict(Counter(e["kind"] for e in errors)),
        "examples": errors,
        "absurd": absurd,
    }


def score(rows: list[dict], enriched: list[dict], set_name: str) -> dict:
    """Exact-match scores, error breakdowns, sum ratios and absurd rows per outcome (and the ACLED split)."""
    report: dict = {"rows": len(rows)}
    if set_name == "gva-incidents":
        report["incidents"] = len({row["incident_id"] for row in rows})
    for outcome, field in (("killed", "deaths"), ("injured", "injured")):
        scored = [(row, event) for row, event in zip(rows, enriched, strict=True) if isinstance(row.get(field), int)]
        if not scored:
            continue
        report[outcome] = score_outcome(scored, outcome, field)
        if set_name == "acled" and outcome == "killed":
            with_deaths = [(r, e) for r, e in scored if r[field] > 0]
            without = [(r, e) for r, e in scored if r[field] == 0]
            report["acled_split"] = {
                "with_deaths": _share(with_deaths, lambda r, e: _summary_min(e, "killed") == r["deaths"]),
                "with_deaths_n": len(with_deaths),
                "zero_predicted_zero": _share(without, lambda r, e: _summary_min(e, "killed") == 0),
                "zero_n": len(without),
            }
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
        found.append(
            any(
                f.get("outcome") == gold.get("outcome", "killed")
                and f.get("count", {}).get("min") == gold["count"]["min"]
                and (not source or source in (f.get("according_to") or "").lower())
                and ("cumulative" not in gold or bool(f.get("cumulative")) == gold["cumulative"])
                for f in figures
            )
        )
    mins = [g["count"]["min"] for g in row["expected_casualties"]]
    killed = _summary_min(enriched, "killed")
    return {
        "figures_found": sum(found),
        "figures_expected": len(found),
        "summary_killed": killed,
        "summary_adds_period_tolls": killed == sum(mins),
    }


def format_report(set_name: str, report: dict, errors_to_show: int, label: str = "", list_absurd: bool = True) -> str:
    incidents = f" ({report['incidents']} incidents)" if "incidents" in report else ""
    lines = [
        f"set {set_name}{label}: {report['rows']} rows{incidents}",
        f"{'outcome':<9} {'n':>5} {'exact':>7} {'sum ratio':>16} {'absurd':>6}  "
        + "  ".join(f"{k:>14}" for k in ERROR_KINDS),
    ]
    for outcome in ("killed", "injured"):
        if outcome in report:
            part = report[outcome]
            ratio = "-" if part["sum_ratio"] is None else f"{part['sum_ratio']:.3f}"
            sums = f"{ratio} ({part['predicted_sum']}/{part['gold_sum']})"
            lines.append(
                f"{outcome:<9} {part['n']:>5} {part['exact']:>7.3f} {sums:>16} {len(part['absurd']):>6}  "
                + "  ".join(f"{part['errors'].get(k, 0):>14}" for k in ERROR_KINDS)
            )
    if "acled_split" in report:
        split = report["acled_split"]
        lines.append(
            f"ACLED killed exact on events with deaths: {split['with_deaths']:.3f} "
            f"(n={split['with_deaths_n']}); zero-death events predicted 0: "
            f"{split['zero_predicted_zero']:.3f} (n={split['zero_n']})"
        )
    if "seed" in report:
        seed = report["seed"]
        lines.append(
            f"seed figures found {seed['figures_found']}/{seed['figures_expected']}; "
            f"summary killed {seed['summary_killed']}; "
            f"adds period tolls: {seed['summary_adds_period_tolls']}"
        )
    for outcome in ("killed", "injured"):
        for row in (report.get(outcome) or {}).get("absurd", []) if list_absurd else ():
            lines.append(
                f"  [{outcome} absurd, half {row['half']}] {row['id']} gold={row['gold']} pred={row['predicted']}"
            )
            lines.extend(f"      {evidence[:300]}" for evidence in row["evidence"])
    for outcome in ("killed", "injured"):
        for error in (report.get(outcome) or {}).get("examples", [])[:errors_to_show]:
            lines.append(
                f"  [{outcome} {error['kind']}] {error['id']} gold={error['gold']} "
                f"pred={error['predicted']} :: {error['text'][:300]}"
            )
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="streams eval", description=__doc__.splitlines()[0])
    parser.add_argument("--set", required=True, choices=SETS)
    parser.add_argument("--data", required=True, help="path to the dev file (JSONL, or the seed JSON)")
    parser.add_argument("--enricher", choices=("full", "casualties-only"), default="full")
    parser.add_argument(
        "--half",
        choices=(*HALVES, "all"),
        default="all",
        help="score one half of the set (by a hash of the id); all: the set and both halves",
    )
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per outcome")
    parser.add_argument("--entity-cache", help="file keeping the entity stage's mentions between runs (full only)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    rows = load_rows(args.set, args.data)
    if args.half != "all":
        rows = [row for row in rows if half_of(row) == args.half]
    events = [to_raw_event(row) for row in rows]
    if args.enricher == "full":
        enriched = full_pipeline(events, args.entity_cache)
    else:
        enriched = casualties_only(events)
    print(f"enricher: {args.enricher}")
    print(
        format_report(
            args.set, score(rows, enriched, args.set), args.errors, "" if args.half == "all" else f" half {args.half}"
        )
    )
    if args.half == "all" and args.set != "seed":
        for half in HALVES:
            pairs = [(row, event) for row, event in zip(rows, enriched, strict=True) if half_of(row) == half]
            part = score([row for row, _ in pairs], [event for _, event in pairs], args.set)
            print(format_report(args.set, part, 0, f" half {half}", list_absurd=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
