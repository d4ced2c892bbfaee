"""Figures from an article: link each victim mention to the outcome that governs it.

Per sentence, a mention is linked (in this order of trust) to a trigger after it ("12 people
were killed"), a trigger before it ("killing 12 people"), a coordinated neighbour ("5 soldiers
and 3 civilians were killed"), or, elliptically, to the previous figure ("6 killed by fire and
3 by IEDs"). Mentions after "including"/"among them" become sub-groups of the figure before.
The sentence passes are in sentence_links.py; this module walks the article: the title first,
then the body's sentences, deciding which sentences open another incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from streams.casualties.dates import parse_published
from streams.casualties.figures import FigureMeta, SentenceContext, sentence_figures
from streams.casualties.incidents import another_name, date_opener, sentence_day
from streams.casualties.knowledge import words as vocabulary
from streams.casualties.lexicon import BODY_WORDS, INDEFINITE_ARTICLES
from streams.casualties.links import Link
from streams.casualties.page_furniture import furniture_spans, in_furniture
from streams.casualties.sentence_links import link_sentence
from streams.casualties.text import Token, split_sentences, tokenize
from streams.casualties.title_places import place_title_figures
from streams.casualties.triggers import AFTER, AFTER_BY_FIRST, BEFORE, BEFORE_BY_LAST, match_after_at, match_before

# The trigger tables and their matchers under the names they had when they lived here.
_AFTER, _BEFORE, _match_after_at, _match_before = AFTER, BEFORE, match_after_at, match_before

__all__ = ["FigureMeta", "extract_figures", "link_sentence"]

# Every link needs one of these words in its sentence: a trigger's first word after the victims,
# its last word before them, "(to) death", "lives", a toll word, or a body word. A sentence
# without any of them is not linked at all (most sentences of a long page).
_LINK_WORDS = (
    frozenset(AFTER_BY_FIRST) | frozenset(BEFORE_BY_LAST) | BODY_WORDS | vocabulary("link_cues") | vocabulary("claimed")
)


def _may_link(tokens: list[Token]) -> bool:
    return any(t.lower in _LINK_WORDS for t in tokens)


def _person_starts(tokens: list[Token], entities: list[dict] | None) -> dict[int, int]:
    """Token spans of PERSON entities: token start index -> token end index."""
    if not entities:
        return {}
    starts = {}
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("label") != "PERSON":
            continue
        start = entity.get("start")
        first = index_of_start.get(start) if isinstance(start, int) else None
        if first is None:
            continue
        last = first
        while last < len(tokens) and tokens[last].end <= (entity.get("end") or 0):
            last += 1
        if last > first:
            starts[first] = last
    return starts


def _persons(body: str, entities: list[dict] | None) -> set[str]:
    """Names of people (two words or more) the entity stage found in the body."""
    return {
        body[e["start"] : e["end"]]
        for e in entities or ()
        if e.get("label") == "PERSON"
        and 0 <= e["start"] < e["end"] <= len(body)
        and " " in body[e["start"] : e["end"]].strip()
    }


def _someone_new(link: Link) -> bool:
    """A lone victim opened by "a"/"an" ("a suspect") is someone not named before."""
    return not link.mention.lone or (
        bool(link.mention.victim_words[:1]) and link.mention.victim_words[0] in INDEFINITE_ARTICLES
    )


@dataclass
class _Chronology:
    """The dates sentences open with and the days they name, so far: a sentence with figures
    that opens with another date, or names another day, reports another incident."""

    last_opener: tuple[str, ...] | None = None
    days: set[str] = field(default_factory=set)

    def new_incident(
        self, tokens: list[Token], links: list[Link], figures: list[tuple[dict, FigureMeta]], titled: bool
    ) -> bool:
        opener = date_opener(tokens)
        new_date = opener is not None and self.last_opener is not None and opener != self.last_opener
        self.last_opener = opener or self.last_opener
        day = None if titled else sentence_day([t.lower for t in tokens])
        if (
            day is not None
            and self.days
            and day not in self.days
            and not (not any(_someone_new(link) for link in links) and all(meta.lone for _, meta in figures))
        ):
            new_date = True  # "... killed four on Sunday. ... killed a farmer on Tuesday": two incidents
        if day is not None:
            self.days.add(day)
        return new_date


def _units(body: str, title: str | None) -> list[tuple[str, int, bool]]:
    """(text, offset, in title) of the title (first) and the body's sentences."""
    units = [(title, 0, True)] if title else []
    return units + [(body[start:end], start, False) for start, end in split_sentences(body)]


def extract_figures(
    body: str, title: str | None, published_at: str | None, entities: list[dict] | None
) -> list[tuple[dict, FigureMeta]]:
    """Every figure of the title (first, never added) and the body, with summary metadata."""
    published = parse_published(published_at)
    figures: list[tuple[dict, FigureMeta]] = []
    seen: set[str] = set()
    persons = _persons(body, entities)
    chronology = _Chronology()
    furniture = furniture_spans(body)
    for index, (sentence, start, in_title) in enumerate(_units(body, title)):
        key = " ".join(sentence.lower().split())
        if not in_title and (key in seen or in_furniture(start, furniture)):
            continue  # a repeated sentence (page boilerplate) or the page around the article reports nothing
        seen.add(key)
        tokens = tokenize(sentence, start)
        if not tokens or not _may_link(tokens):
            continue
        links, contained = link_sentence(tokens, {} if in_title else _person_starts(tokens, entities), in_title)
        if not links:
            continue
        context = SentenceContext(
            tokens,
            sentence,
            start,
            index,
            in_title,
            published,
            None if in_title else entities,
            body,
            new_incident=chronology.new_incident(tokens, links, figures, bool(title)),
            reported=frozenset(figure["outcome"] for figure, _ in figures),
            untitled=not title,
        )
        found = sentence_figures(context, links, contained)
        if not title and persons:
            found = [
                (figure, replace(meta, additive=True)) if another_name(figure, figures, persons) else (figure, meta)
                for figure, meta in found
            ]
        figures += found
    place_title_figures(figures)
    return figures
