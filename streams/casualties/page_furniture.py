"""The article's own story only: the page around it is not part of the incident.

Raw bodies sent to ``articles.raw`` are often whole web pages: lists of other stories ("Related
Articles", "More stories", "Trending", "READ MORE:"), notices (copyright, cookies, subscriptions,
apps), sharing prompts, photo credits, gallery and video captions, comment sections. Figures read
there are other incidents' (or the same one told again by a caption), so ``furniture_spans``
finds those lines and the extractor reads no figure in them: they are kept out of ``casualties``
entirely rather than marked, because a figure of another story carries nothing a consumer of
this article could use, and a marked figure would still travel to the casualties topic. The
patterns are data: config/casualties/guards/page_furniture.json.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache

from streams.casualties.number_kinds import GUARDS

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], int, int]:
    with open(GUARDS / "page_furniture.json", encoding="utf-8") as handle:
        data = json.load(handle)

    def joined(patterns: list[str]) -> re.Pattern[str]:
        return re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)

    headline = data["headline"]
    return (
        joined(data["block_headers"]["patterns"]),
        joined(data["lines"]["patterns"]),
        headline["min_paragraph_words"],
        headline["max_headline_words"],
    )


def _is_paragraph(line: str, min_words: int, max_headline: int) -> bool:
    words = len(line.split())
    return words > max_headline or (words >= min_words and bool(_SENTENCE_END.search(line)))


def furniture_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the body's page furniture, in order."""
    if "\n" not in body:
        return []  # a description or a feed's clean body: one paragraph, no page around it
    header, furniture_line, min_words, max_headline = _patterns()
    spans: list[tuple[int, int]] = []
    in_list = False
    position = 0
    for line in body.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        if header.match(line):
            in_list = True
            spans.append((start, end))
        elif furniture_line.match(line) or (in_list and not _is_paragraph(line, min_words, max_headline)):
            spans.append((start, end))
        else:
            in_list = False
    return spans


def in_furniture(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the body offset ``position`` lies inside one of the ``spans``."""
    k = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= position < spans[k][1]
