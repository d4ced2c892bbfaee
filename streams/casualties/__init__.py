"""Casualty figures from news text: structured, sourced, never double-counted.

``extract_casualties(body, published_at=, title=, entities=)`` returns every figure (outcome,
count, victims, cause, perpetrator, places, date or period, source, evidence) and the article's
incident summary. Pure Python with compiled regexes: no model, no parser, no I/O. It never raises:
malformed input yields an empty result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from streams.casualties.dates import split_across_events
from streams.casualties.extract import extract_figures
from streams.casualties.summary import summarise

__all__ = ["CasualtyResult", "extract_casualties"]


def _empty_summary() -> dict:
    return {"killed": {"min": 0, "max": 0}, "injured": {"min": 0, "max": 0}, "cumulative": []}


@dataclass
class CasualtyResult:
    figures: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=_empty_summary)


def extract_casualties(
    body: str, *, published_at: str | None = None, title: str | None = None, entities: list[dict] | None = None
) -> CasualtyResult:
    """Figures and incident summary of one article (see the package docstring)."""
    if not isinstance(body, str):
        body = ""
    if not isinstance(title, str) or not title.strip():
        title = None
    entities = [e for e in entities if _usable_entity(e)] if isinstance(entities, list) else None
    for linked_entities in (entities, None):  # malformed entities: retry without linking
        try:
            figures = extract_figures(body, title, published_at, linked_entities)
            return CasualtyResult([figure for figure, _ in figures], summarise(figures, split_across_events(body)))
        except Exception:  # a bad article must never stop the stream
            continue
    return CasualtyResult()


def _usable_entity(entity: object) -> bool:
    return (
        isinstance(entity, dict)
        and isinstance(entity.get("label"), str)
        and isinstance(entity.get("start"), int)
        and isinstance(entity.get("end"), int)
    )
