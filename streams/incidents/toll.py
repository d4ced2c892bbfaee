"""An incident's toll from what its sources said, and whether a new report's toll fits it.

Per outcome, over the sources that state it, in publication order: an explicit update ("the toll rose to 15")
supersedes the reports published before it; the reports left give the range. `min` is the largest lower bound
a majority of them reach (with two reports the smaller, with three the middle one), `max` the largest upper
bound (null when one of them has none). Totals use `min`: a toll most current reports support, so one
report's stray number cannot move a sum either way (an overstated toll from a neighbouring story, or a
figure about one of the victims read as the toll), and it agrees with the article-level convention of summing
lower bounds. On the GVA incident pages the plain smallest lower bound gave 0.86 of the coded deaths with
perfect grouping, the majority's 0.94 to 1.02 (docs/incidents.md).
"""

from __future__ import annotations

from collections.abc import Iterable

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
            "min": majority_low(value["min"] for value in said),
            "max": None if None in highs else max(h for h in highs if h is not None),
            "reports": len(said),
        }
    return tolls


def majority_low(lows: Iterable[int]) -> int:
    """The largest value that more than half of the lower bounds reach: the lower median."""
    ordered = sorted(lows)
    return ordered[(len(ordered) - 1) // 2]


def zero_toll() -> dict:
    return {"min": 0, "max": 0, "reports": 0}


def tolls_near(said: dict, tolls: dict) -> bool:
    """Every outcome both state lies within a factor of two of the incident's range: 3 against 4 killed (a
    shooter counted or not, a victim who died later) is near, 2 against 6 is another incident."""
    for outcome in (o for o in said if o in tolls and tolls[o]["reports"]):
        value, known = said[outcome]["min"], tolls[outcome]
        high = known["max"] if known["max"] is not None else known["min"]
        if not known["min"] / 2 <= value <= 2 * max(high, 1):
            return False
    return True


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
