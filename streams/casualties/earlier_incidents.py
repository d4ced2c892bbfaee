"""Protests and reprisals about an earlier killing carry that killing's toll, not their own.

"Relatives protested after more than 40 prisoners were killed": the 40 were killed before the
event the sentence reports, so their figure is left out of the incident total (``left_out``
says why; the figure stays in ``casualties``). The sentence must put the protest (or riot,
vigil, reprisal) first, then a connector ("after", "over", "demanding justice for"), then the
figure, with no clause break between the connector and the figure: "police fired on the
marchers, killing 5" is the protest's own toll. Cues are data: config/casualties/guards/earlier_incidents.json.
"""

from __future__ import annotations

import json
import re
from functools import cache

from streams.casualties.number_kinds import GUARDS


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    with open(GUARDS / "earlier_incidents.json", encoding="utf-8") as handle:
        data = json.load(handle)
    events, connectors, breaks = (
        re.compile(data[key], re.IGNORECASE) for key in ("events", "connectors", "clause_breaks")
    )
    return events, connectors, breaks


def earlier_incident(sentence: str, figure_start: int) -> dict | None:
    """``left_out`` for a figure whose first word (its count or its trigger) is at character
    ``figure_start`` of ``sentence`` when it is an earlier killing a protest is about, else None."""
    events, connectors, breaks = _cues()
    event = events.search(sentence, 0, figure_start)
    if event is None:
        return None
    connector = None
    for candidate in connectors.finditer(sentence, event.end(), figure_start):
        connector = candidate
    if connector is None or breaks.search(sentence, connector.end(), figure_start):
        return None
    return {
        "reason": "earlier incident",
        "detail": f"the killing that the {event.group().lower()} is about "
        f'("{sentence[event.start() : figure_start].strip()[:80]}"), not this event\'s',
    }


def earlier_incident_of(
    sentence: str, tokens: list, mention_start: int, trigger: int, sentence_start: int
) -> dict | None:
    """``earlier_incident`` for a linked mention (token indices of its start and its trigger)."""
    first = min(mention_start, trigger) if 0 <= trigger < len(tokens) else mention_start
    return earlier_incident(sentence, tokens[first].start - sentence_start)
