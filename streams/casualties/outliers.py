"""An outlier guard: a toll far out of line with the rest of the article is not summed unless
the text supports it twice.

One misread number (a calibre, a crowd's size, a song's title) can outweigh a whole dashboard.
A figure whose count is more than ``FACTOR`` times the largest other counted figure of the
article (killed or injured, a counted group rather than a lone victim or a weak "was shot"),
plus ``MARGIN``, is left out of the incident total unless another figure of its outcome states
the same count (the title and the body agree, two sources agree). The figure stays in
``casualties`` with ``left_out`` saying why, so a reader can check. A toll the article gives
nothing to weigh against (its only counted figure) stands.

The factor is wide on purpose: "22 were killed after protesters killed two police officers" is
an ordinary report, a crowd of 400 beside "one dead, four hurt" is not.
"""

from __future__ import annotations

FACTOR = 10
MARGIN = 5
_OUTCOMES = ("killed", "injured")


def leave_out_outliers(figures: list) -> None:
    """Mark outlying, once-stated figures (``figures``: (figure, meta) pairs) ``left_out``."""
    counted = [
        (figure, meta) for figure, meta in figures if figure["outcome"] in _OUTCOMES and not figure["cumulative"]
    ]
    references = [figure for figure, meta in counted if not meta.lone and not meta.weak]
    for figure, _ in counted:
        value = figure["count"]["min"]
        others = [
            other["count"]["min"]
            for other in references
            if other is not figure and other["outcome"] == figure["outcome"]
        ]
        if not others or value <= FACTOR * max(others) + MARGIN:
            continue
        if any(
            other["count"]["min"] == value and other["outcome"] == figure["outcome"]
            for other, _ in counted
            if other is not figure
        ):
            continue  # stated twice
        figure["left_out"] = {
            "reason": "outlier",
            "detail": f"{value} {figure['outcome']} is far above the article's other figures "
            f"(largest {max(others)}) and stated only once",
        }
