"""Title figures placed: a toll stated in the title takes the place and date of the body
figure it restates.

A title is read without the entity stage ("12 killed in suicide bombing"), so its figures carry
no linked place; yet the summary takes the title's toll for the incident, and a dashboard that
credits totals by place would credit it to "unknown". The body figure stating the same count of
the same outcome (not a period toll) says where and when: the title figure takes its places
when it has none linked, and its date when it has none.
"""

from __future__ import annotations


def _linked(figure: dict) -> bool:
    return any(place.get("entity_id") or place.get("country") for place in figure.get("locations") or [])


def place_title_figures(figures: list) -> None:
    """Give title figures (``figures``: (figure, meta) pairs) the places and date of the body
    figure they restate."""
    body = [
        figure
        for figure, _ in figures
        if (figure.get("evidence") or {}).get("field") == "body" and not figure["cumulative"]
    ]
    for figure, _ in figures:
        if (figure.get("evidence") or {}).get("field") != "title":
            continue
        restated = next(
            (
                other
                for other in body
                if other["outcome"] == figure["outcome"]
                and other["count"]["min"] == figure["count"]["min"]
                and _linked(other)
            ),
            None,
        )
        if restated is None:
            continue
        if not _linked(figure):
            figure["locations"] = [dict(place) for place in restated["locations"]]
        if not figure.get("date"):
            figure["date"] = restated.get("date")
