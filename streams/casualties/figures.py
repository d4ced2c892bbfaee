"""Figures from one sentence's links: the public figure (outcome, count, victims, cause, perpetrator,
places, date or period, source, evidence) and what the summary needs to weigh it (``FigureMeta``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from streams.casualties.attribution import cause_of, locations_of, perpetrator_of, source_of
from streams.casualties.dates import clause_around, cumulative_period, incident_date
from streams.casualties.earlier_incidents import earlier_incident_of
from streams.casualties.incidents import additive, died_of_wounds, opens_another_incident, ordinal_rank
from streams.casualties.lexicon import VICTIM_TYPE_OF_WORD
from streams.casualties.links import Link
from streams.casualties.mention import Mention
from streams.casualties.numbers import Count
from streams.casualties.statistics import statistic_period
from streams.casualties.text import Token


@dataclass(frozen=True)
class FigureMeta:
    """What the summary needs beyond the public figure: where it sits and how it relates."""

    sentence: int
    chain: int
    additive: bool
    update: bool
    weak: bool
    lone: bool
    in_title: bool


@dataclass(frozen=True)
class SentenceContext:
    """One sentence and what the article around it says about its figures."""

    tokens: list[Token]
    text: str
    start: int  # offset of the sentence in the body (0 for the title)
    index: int  # position among the article's sentences, the title first
    in_title: bool
    published: date | None
    entities: list[dict] | None  # the entity stage's spans (None for the title)
    body: str | None = None
    new_incident: bool = False  # a new date in a chronology: its figures add to the toll
    reported: frozenset[str] = frozenset()  # outcomes the sentences before reported
    untitled: bool = False  # the article has no title


def victim_type(words: tuple[str, ...]) -> str:
    """The type of the last victim noun of the phrase ("Taliban fighters" -> militant)."""
    for word in reversed(words):
        if word in VICTIM_TYPE_OF_WORD:
            return VICTIM_TYPE_OF_WORD[word]
    return "unknown"


def _shared(sentence: SentenceContext, period: dict | None) -> dict:
    """What every figure of the sentence shares."""
    text, start, in_title = sentence.text, sentence.start, sentence.in_title
    return {
        "cause": cause_of(text),
        "perpetrator": perpetrator_of(text, start, sentence.entities, sentence.body),
        "locations": locations_of(text, start, sentence.entities),
        "date": incident_date(text, sentence.published),
        "period": period,
        "cumulative": period is not None,
        "according_to": source_of(text),
        # Title figures keep their sentence but have no body span: ``field`` says which text
        # the evidence comes from, so consumers never read null offsets as a body position.
        "evidence": {
            "sentence": text,
            "field": "title" if in_title else "body",
            "start": None if in_title else start,
            "end": None if in_title else start + len(text),
        },
    }


def _figure(
    sentence: SentenceContext, link: Link, contained: dict[int, list[Mention]], shared: dict, period: dict | None
) -> dict:
    mention = link.mention
    if period is not None:
        clause = clause_around(sentence.text, sentence.tokens[mention.start].start - sentence.start)
        own_period = cumulative_period(clause, sentence.published) or statistic_period(clause, mention.lone)
    else:
        own_period = None
    return {
        "outcome": link.outcome,
        "count": mention.count.as_dict(mention.count_text),
        "victims": mention.victims,
        "victim_type": victim_type(mention.victim_words),
        "subgroups": [
            {
                "count": sub.count.as_dict(sub.count_text),
                "victims": sub.victims,
                "victim_type": victim_type(sub.victim_words),
            }
            for sub in contained.get(mention.start, [])
        ],
        **shared,
        "period": own_period,
        "cumulative": own_period is not None,
        "in_incident_total": False,
    }


def _joined_to_name(tokens: list[Token], link: Link) -> bool:
    """ "Conley and seven others were killed": a count joined by "and" to a capitalised word
    that does not open the sentence, a name the others are counted beside."""
    start = link.mention.start
    return start >= 3 and tokens[start - 1].lower == "and" and tokens[start - 2].text[:1].isupper()


def sentence_figures(
    sentence: SentenceContext, links: list[Link], contained: dict[int, list[Mention]]
) -> list[tuple[dict, FigureMeta]]:
    """The figures of one sentence's links, in order, each with its summary metadata."""
    words = [t.lower for t in sentence.tokens]
    period = cumulative_period(sentence.text, sentence.published) or statistic_period(sentence.text)
    shared = _shared(sentence, period)
    figures = []
    next_incident = sentence.new_incident or opens_another_incident(words)
    reported = sentence.reported
    earlier_outcomes: set[str] = set()
    for link in links:
        figure = _figure(sentence, link, contained, shared, period)
        earlier = earlier_incident_of(sentence.text, sentence.tokens, link.mention.start, link.trigger, sentence.start)
        figure.update({"left_out": earlier} if earlier and link.outcome in ("killed", "injured") else {})
        adds = next_incident or additive(words, link, earlier_outcomes, _joined_to_name(sentence.tokens, link))
        if (
            sentence.untitled
            and link.outcome == "killed"
            and "injured" in reported
            and "killed" in reported
            and died_of_wounds(words, link)
        ):
            adds = True  # "Five were killed and 25 wounded. ... in hospital, where one victim died"
        rank = ordinal_rank(link, links) if link.outcome in reported else 0
        if rank:  # "a sixth protester died": the toll is now six, not one more
            figure["count"] = Count(rank, rank, "exact").as_dict(link.mention.count_text)
            adds = False
        figures.append(
            (
                figure,
                FigureMeta(
                    sentence.index, link.trigger, adds, link.update, link.weak, link.mention.lone, sentence.in_title
                ),
            )
        )
        earlier_outcomes.add(link.outcome)
    return figures
