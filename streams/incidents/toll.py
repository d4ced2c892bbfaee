"""An incident's toll from what its sources said, and whether a new report's toll fits it.

Per outcome, over the sources that state it, in publication order: an explicit update ("the toll rose to 15")
supersedes the reports published before it; the reports left give the range, `min` the smallest lower bound and
`max` the largest upper bound (null when one of them has none). Totals use `min`: it is what every current
report supports, so one report's overstated toll (a misread number, a neighbouring story) cannot inflate a
dashboard's sum, and it agrees with the article-level convention of summing lower bounds.
"""

from __future__ import annotations

MAIN_OUTCOMES = ("killed", "injured")


def source_order(source: dict) -> tuple[str, str]:
    return (source.get("published_at") or "", source["article_id"])


def combined_tolls(sources: list[dict]) -> dict[str, dict]:
    """{outcome: {min, max, reports}} over the sources; marks each source's `superseded` outcomes."""
    ordered = sorted(sources, key=source_order)
    for source in ordered:
        source["superseded"] = []
    outcomes = sorted({outcome for source in ordered for outcome in source["said"]})
    tolls = {}
    for outcome in outcomes:
        stating = [source for source in ordered if outcome in source["said"]]
        updates = [i for i, source in enumerate(stating) if source["said"][outcome].get("update")]
        if updates:
            for source in stating[: updates[-1]]:
                source["superseded"].append(outcome)
            stating = stating[updates[-1] :]
        said = [source["said"][outcome] for source in stating]
        highs = [value.get("max") for value in said]
        tolls[outcome] = {
            "min": min(value["min"] for value in said),
            "max": None if None in highs else max(h for h in highs if h is not None),
            "reports": len(said),
        }
    return tolls


def zero_toll() -> dict:
    return {"min": 0, "max": 0, "reports": 0}


def toll_agreement(said: dict, tolls: dict) -> int:
    """+1 when the report restates the incident's toll for every outcome both state, -1 when one outcome is
    incompatible (outside the incident's range and not an explicit update upwards), 0 when nothing compares."""
    shared = [outcome for outcome in said if outcome in tolls and tolls[outcome]["reports"]]
    if not shared:
        return 0
    for outcome in shared:
        value, known = said[outcome], tolls[outcome]
        high = known["max"] if known["max"] is not None else float("inf")
        value_high = value.get("max") if value.get("max") is not None else float("inf")
        overlaps = value["min"] <= high and value_high >= known["min"]
        if not overlaps and not (value.get("update") and value["min"] >= known["min"]):
            return -1
    return 1
