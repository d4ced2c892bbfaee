"""Offline score of the incident matcher on the GVA incident pages, by the rules of the sealed check.

    python -m streams.incidents.scoring --enriched ENRICHED.jsonl [--data ../shared/data/gva-incidents-dev.jsonl]
        [--regions event|coded] [--places] [--tune] [--rule JSON]

ENRICHED.jsonl holds `streams enrich` output for the pages of the data file (page ids are the input ids). The
matcher runs over the pages in publication order, one region state per region as the stream keeps them; the
last record per incident id counts, `merged_into` records dropped, incidents holding no page of the set or no
toll ignored. Reported, as in the evaluation notes: summed `killed.min` / `injured.min` against the coded sums,
the number of incidents with a toll against the coded number, per coded incident the exact killed / injured of
the predicted incident holding most of its pages, and purity; plus the B-cubed F1 of the page grouping. The
coded incidents are split in two halves by a stable hash of their id; `--tune` searches the rule on half A and
reports both halves. `--regions coded` keys the regions by the coded state (what a complete place resolution
would give), `--places` places the events without `summary.place` with `streams.places.place_article`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from streams.incidents.matcher import MatchRule
from streams.incidents.report import incident_report
from streams.incidents.state import apply_report, new_region_state

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gva-incidents-dev.jsonl"
TARGETS = {
    "killed_ratio": (0.9, 1.1),
    "injured_ratio": (0.85, 1.15),
    "count_ratio": (0.85, 1.15),
    "killed_exact": (0.80, 1.0),
    "injured_exact": (0.70, 1.0),
    "purity": (0.95, 1.0),
}
# The values coordinate descent tries for each parameter of the rule (`--tune`).
SEARCH: dict[str, list[float]] = {
    "near_days": [2, 3, 5, 7, 10, 14],
    "near_threshold": [0.06, 0.08, 0.1, 0.12, 0.15, 0.18, 0.22, 0.26],
    "far_threshold": [0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5],
    "far_shared_terms": [4, 6, 8, 12],
    "fresh_far_threshold": [0.3, 0.4, 0.5, 0.6, 0.8, 9.0],
    "victim_weight": [0.0, 0.05, 0.1, 0.15, 0.25],
    "place_weight": [0.0, 0.03, 0.05, 0.1],
    "toll_weight": [0.0, 0.03, 0.05, 0.1],
    "region_penalty": [0.0, 0.05, 0.1, 0.2, 0.4],
    "merge_threshold": [0.4, 0.5, 0.6, 0.8, 9.0],
    "incompatible_below": [0.0, 0.2, 0.25, 0.3, 0.4],
}


def half_of(incident_id: str) -> str:
    return "A" if hashlib.blake2b(incident_id.encode(), digest_size=1).digest()[0] % 2 == 0 else "B"


def load_coded(path: Path) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"{path} is missing: the GVA incident pages live in ../shared/data/ beside the project")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def load_reports(
    path: Path, page_state: dict[str, str] | None, fill_place: Callable | None, region_level: str = "country"
) -> list[dict]:
    """Incident reports of the enriched pages, in publication order (then id)."""
    events = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    if fill_place is not None:
        events = (e if (e.get("summary") or {}).get("place") else fill_place(e) for e in events)
    reports = ordered_reports(events, region_level)
    if page_state is not None:
        for report in reports:
            report["region"] = "US/" + page_state.get(report["article_id"], "unknown")
    return reports


def ordered_reports(events: Iterable[dict], region_level: str = "country") -> list[dict]:
    """The incident reports of enriched events, in publication order (then id), as the offline matcher reads
    them."""
    reports = [incident_report(event, region_level) for event in events]
    reports.sort(key=lambda r: (r["published_at"] or "", r["article_id"]))
    return reports


def run_matcher(reports: list[dict], rule: MatchRule) -> dict[str, dict]:
    """The last record per incident id after the whole stream."""
    states: dict[str, dict] = {}
    last: dict[str, dict] = {}
    for report in reports:
        state = states.setdefault(report["region"], new_region_state(report["region"]))
        for key, record in apply_report(state, report, rule).publish:
            if record is None:
                last.pop(key, None)
            else:
                last[key] = record
    return last


def state_sizes(reports: list[dict], rule: MatchRule) -> dict[str, int]:
    """Bytes the matcher rewrites per article, as the agent keeps them (streams.incidents.agent): the region
    index (largest seen) and the incident states (largest, and the mean of those written), plus the most
    incidents open at once in a region."""
    import orjson

    states: dict[str, dict] = {}
    index_max = state_max = written = written_bytes = open_max = 0
    for report in reports:
        state = states.setdefault(report["region"], new_region_state(report["region"]))
        applied = apply_report(state, report, rule)
        index = {"region": state["region"], "open": sorted(state["incidents"])}
        index_max = max(index_max, len(orjson.dumps(index)))
        open_max = max(open_max, len(state["incidents"]))
        for key in applied.written:
            size = len(orjson.dumps(state["incidents"][key]))
            state_max, written, written_bytes = max(state_max, size), written + 1, written_bytes + size
    return {
        "region_index_max_bytes": index_max,
        "incident_state_max_bytes": state_max,
        "incident_state_mean_bytes": written_bytes // max(1, written),
        "open_incidents_max": open_max,
    }


def score(last: dict[str, dict], coded: list[dict]) -> dict[str, Any]:
    """The figures of the evaluation notes for the coded incidents given."""
    page_incident = {a["id"]: c["incident_id"] for c in coded for a in c["articles"]}
    kept = {
        key: r
        for key, r in last.items()
        if not r.get("merged_into")
        and any(a in page_incident for a in r["articles"])
        and (r["killed"]["min"] or r["injured"]["min"])
    }
    holder: dict[str, Counter] = defaultdict(Counter)
    for key, record in kept.items():
        for article in record["articles"]:
            if article in page_incident:
                holder[page_incident[article]][key] += 1
    killed_exact = injured_exact = 0
    for incident in coded:
        held = holder.get(incident["incident_id"])
        best = kept[min(held, key=lambda k: (-held[k], k))] if held else None
        killed_exact += (best["killed"]["min"] if best else 0) == incident["killed"]
        injured_exact += (best["injured"]["min"] if best else 0) == incident["injured"]
    pure = sum(1 for r in kept.values() if len({page_incident[a] for a in r["articles"] if a in page_incident}) == 1)
    coded_killed, coded_injured = sum(c["killed"] for c in coded), sum(c["injured"] for c in coded)
    coded_count = sum(1 for c in coded if c["killed"] or c["injured"])
    killed = sum(r["killed"]["min"] for r in kept.values())
    injured = sum(r["injured"]["min"] for r in kept.values())
    n = len(coded)
    return {
        "incidents": n,
        "pages": len(page_incident),
        "killed": killed,
        "coded_killed": coded_killed,
        "killed_ratio": killed / coded_killed if coded_killed else 0.0,
        "injured": injured,
        "coded_injured": coded_injured,
        "injured_ratio": injured / coded_injured if coded_injured else 0.0,
        "predicted": len(kept),
        "coded": coded_count,
        "count_ratio": len(kept) / coded_count if coded_count else 0,
        "killed_exact": killed_exact / n,
        "injured_exact": injured_exact / n,
        "purity": pure / len(kept) if kept else 0.0,
        "bcubed_f1": bcubed_f1(last, page_incident),
    }


def bcubed_f1(last: dict[str, dict], page_incident: dict[str, str]) -> float:
    """B-cubed F1 of the grouping of pages into incidents (every page, with or without a toll)."""
    cluster = {a: key for key, r in last.items() if not r.get("merged_into") for a in r["articles"]}
    pages = [p for p in page_incident if p in cluster]
    members: dict[str, list[str]] = defaultdict(list)
    gold: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        members[cluster[page]].append(page)
        gold[page_incident[page]].append(page)
    precision = recall = 0.0
    for page in pages:
        same = sum(1 for other in members[cluster[page]] if page_incident[other] == page_incident[page])
        precision += same / len(members[cluster[page]])
        recall += same / len(gold[page_incident[page]])
    if not pages:
        return 0.0
    precision, recall = precision / len(pages), recall / len(pages)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def objective(figures: dict) -> float:
    """What tuning maximises: the grouping's B-cubed F1, the per-incident exact tolls and purity, less four
    times each figure's distance outside its target (a missed target costs more than a gain elsewhere buys)."""
    gain = figures["bcubed_f1"] + figures["killed_exact"] + figures["injured_exact"] + figures["purity"]
    return gain - 4 * sum(max(0.0, low - figures[key], figures[key] - high) for key, (low, high) in TARGETS.items())


def tune(reports: list[dict], coded: list[dict], rule: MatchRule, rounds: int = 2) -> MatchRule:
    """Coordinate descent over `SEARCH`, each parameter in turn, keeping a change only when it scores higher."""
    best = objective(score(run_matcher(reports, rule), coded))
    for _ in range(rounds):
        improved = False
        for name, values in SEARCH.items():
            for value in values:
                change: dict[str, Any] = {name: value}
                trial = replace(rule, **change)
                result = objective(score(run_matcher(reports, trial), coded))
                if result > best + 1e-9:
                    best, rule, improved = result, trial, True
        if not improved:
            break
    return rule


def format_figures(name: str, figures: dict) -> str:
    met = [key for key, (low, high) in TARGETS.items() if not low <= figures[key] <= high]
    return (
        f"{name}: {figures['incidents']} coded incidents, {figures['pages']} pages | "
        f"killed {figures['killed']}/{figures['coded_killed']} = {figures['killed_ratio']:.3f} | "
        f"injured {figures['injured']}/{figures['coded_injured']} = {figures['injured_ratio']:.3f} | "
        f"incidents with a toll {figures['predicted']}/{figures['coded']} = {figures['count_ratio']:.3f} | "
        f"exact killed {figures['killed_exact']:.3f} injured {figures['injured_exact']:.3f} | "
        f"purity {figures['purity']:.3f} | B-cubed F1 {figures['bcubed_f1']:.3f} | "
        f"{'all targets met' if not met else 'missed: ' + ', '.join(met)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.incidents.scoring", description=__doc__.split("\n")[0])
    parser.add_argument("--enriched", type=Path, required=True, help="`streams enrich` output for the pages")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="gva-incidents-dev.jsonl")
    parser.add_argument("--regions", choices=("event", "coded"), default="event")
    parser.add_argument("--region-level", choices=("country", "admin1"), default="country")
    parser.add_argument("--places", action="store_true", help="fill summary.place with streams.places")
    parser.add_argument("--tune", action="store_true", help="search the rule on half A")
    parser.add_argument("--rule", type=json.loads, default={}, help="rule parameters as JSON")
    parser.add_argument("--sizes", action="store_true", help="also measure the state the agent rewrites")
    args = parser.parse_args(argv)
    coded = load_coded(args.data)
    page_state = {a["id"]: c["state"] for c in coded for a in c["articles"]} if args.regions == "coded" else None
    fill_place = _place_filler() if args.places else None
    reports = load_reports(args.enriched, page_state, fill_place, args.region_level)
    halves = {half: [c for c in coded if half_of(c["incident_id"]) == half] for half in ("A", "B")}
    pages = {half: {a["id"] for c in chosen for a in c["articles"]} for half, chosen in halves.items()}
    by_half = {half: [r for r in reports if r["article_id"] in pages[half]] for half in halves}
    rule = MatchRule(**args.rule)
    if args.tune:
        rule = tune(by_half["A"], halves["A"], rule)
    print("rule:", json.dumps(rule.as_dict()))
    for half in ("A", "B"):
        print(format_figures(f"half {half}", score(run_matcher(by_half[half], rule), halves[half])))
    print(format_figures("all", score(run_matcher(reports, rule), coded)))
    if args.sizes:
        print("state:", json.dumps(state_sizes(reports, rule)))
    return 0


def _place_filler() -> Callable:
    from streams.places import place_article

    return place_article


if __name__ == "__main__":
    raise SystemExit(main())
