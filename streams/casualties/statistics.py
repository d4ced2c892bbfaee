"""Statistics are not incidents: tolls over a period or over many incidents.

"109 homicides for the year", "12 wounded in separate shootings across Chicago", "nine people
killed ... during that June weekend", "of the shooters, 73 died": such a toll is ``cumulative``
and never in the incident total, like the period tolls ``context.cumulative_period`` reads. A
lone victim named inside such a sentence ("<victim> was one of nine people killed that weekend")
is still the article's own victim. The cues are data: config/casualties/guards/statistics.json.
"""

from __future__ import annotations

import json
import re
from functools import cache

from streams.casualties.number_kinds import GUARDS


@cache
def _cues() -> re.Pattern[str]:
    with open(GUARDS / "statistics.json", encoding="utf-8") as handle:
        cues = json.load(handle)["cues"]
    return re.compile("|".join(f"(?:{cue})" for cue in cues), re.IGNORECASE)


def statistic_period(clause: str, lone: bool = False) -> dict | None:
    """The period of a statistic the clause states ({"text", "start": None, "end": None}), else
    None; None for a ``lone`` victim, who is one of the article's own."""
    if lone:
        return None
    match = _cues().search(clause)
    if match is None:
        return None
    return {"text": match.group().strip(), "start": None, "end": None}
