"""The reference totals: what the rollup tables must agree with, computed directly from a collection of figure
events (the tests check the API against `rollup` of the `casualties` topic)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from streams.contract.events import CasualtyFigureEvent
from streams.rollups.keys import (
    UNKNOWN,
    country_of,
    counts_toward_totals,
    dedup_key,
    figure_id,
    place_name,
    row_key,
)


def contribution(figure_event: CasualtyFigureEvent, scope: str) -> dict:
    """What one counted figure adds to a rollup row of `scope` ("place" or "country")."""
    figure = figure_event["figure"]
    total = figure["count"]["min"]
    name = place_name(figure_event) if scope == "place" else country_of(figure_event)
    return {
        "name": name,
        "country": figure_event.get("country"),
        "outcomes": {
            figure.get("outcome") or UNKNOWN: {
                "total": total,
                "incidents": 1,
                "victim_types": {figure.get("victim_type") or UNKNOWN: total},
            }
        },
    }


def merge(current: Any, delta: Any) -> Any:
    """Add `delta` into `current`: numbers add up, dicts merge key by key, anything else keeps the first value."""
    if current is None:
        return delta
    if isinstance(current, dict) and isinstance(delta, dict):
        merged = dict(current)
        for key, value in delta.items():
            merged[key] = merge(current.get(key), value)
        return merged
    if isinstance(current, int | float) and isinstance(delta, int | float):
        return current + delta
    return current


def rollup(figure_events: Iterable[CasualtyFigureEvent], scope: str) -> dict[str, dict]:
    """Totals per place or country of a collection of figure events, each incident once: the reference the
    tables must agree with (used by the tests against the `casualties` topic). Independent of order: an incident
    is represented by its report with the smallest figure id, a row is named after its smallest incident key."""
    representative: dict[str, CasualtyFigureEvent] = {}
    for event in figure_events:
        if counts_toward_totals(event):
            key = dedup_key(event)
            if key not in representative or figure_id(event) < figure_id(representative[key]):
                representative[key] = event
    totals: dict[str, dict] = {}
    for key in sorted(representative):
        event = representative[key]
        row = row_key(event, scope)
        totals[row] = merge(totals.get(row), contribution(event, scope))
    return totals
