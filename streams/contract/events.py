"""The event shapes of the topics as TypedDicts, field for field as the JSON Schemas in `schemas/` state them.

They type the dicts the code passes around (an event is still a plain dict at run time, decoded from JSON): a
key the schema requires is a required key here, one it does not is `NotRequired`, and a field the schema lets be
null is `... | None`. Nested objects the schema leaves open (`locations`, `subgroups`, `period`) stay dicts.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

# ---- raw-article.v1.json ---------------------------------------------------------------------------------------


class RawArticle(TypedDict):
    """One article as it enters the pipeline (`articles.raw`)."""

    id: str
    body: str
    title: NotRequired[str]
    url: NotRequired[str]
    source: NotRequired[str]
    author: NotRequired[str]
    published_at: NotRequired[str]
    language: NotRequired[str]
    revision: NotRequired[int]


# ---- enriched-article.v1.json ----------------------------------------------------------------------------------


class EntityMention(TypedDict):
    text: str
    label: str
    start: int
    end: int
    canonical: str
    id: str
    country: NotRequired[str | None]
    lat: NotRequired[float | None]
    lon: NotRequired[float | None]
    geonames_id: NotRequired[int | None]


class Toll(TypedDict):
    min: int
    max: int | None


class Count(TypedDict):
    min: int
    max: int | None
    qualifier: Literal["exact", "at_least", "more_than", "about", "up_to", "range"]
    vague: bool
    text: NotRequired[str | None]


class Evidence(TypedDict):
    """The sentence stating a figure; start/end are offsets into the body, null for a title."""

    sentence: str
    start: int | None
    end: int | None
    field: NotRequired[Literal["body", "title"]]


class CasualtyFigure(TypedDict):
    id: str
    outcome: str
    count: Count
    victim_type: str
    cumulative: bool
    evidence: Evidence
    victims: NotRequired[str | None]
    subgroups: NotRequired[list[dict[str, Any]]]
    cause: NotRequired[str | None]
    perpetrator: NotRequired[dict[str, Any] | None]
    locations: NotRequired[list[dict[str, Any]]]
    date: NotRequired[str | None]
    period: NotRequired[dict[str, Any] | None]
    according_to: NotRequired[str | None]
    in_incident_total: NotRequired[bool]


class CumulativeToll(TypedDict):
    outcome: str
    min: int
    max: NotRequired[int | None]
    according_to: NotRequired[str | None]
    period: NotRequired[str | dict[str, Any] | None]


class SummaryEntity(TypedDict):
    """One unique entity of the article; a place keeps its mention's place fields."""

    id: str
    canonical: str
    label: str
    mentions: int
    first_offset: int
    country: NotRequired[str | None]
    lat: NotRequired[float | None]
    lon: NotRequired[float | None]
    geonames_id: NotRequired[int | None]


class Summary(TypedDict):
    killed: Toll
    injured: Toll
    entities: list[SummaryEntity]
    cumulative: NotRequired[list[CumulativeToll]]


class Meta(TypedDict):
    schema_version: str
    pipeline_version: str
    processed_at: str
    event_id: str
    warnings: NotRequired[list[str]]


class EnrichedArticle(TypedDict):
    """The raw article's fields plus entities, casualty figures, a summary and metadata (`articles.enriched`)."""

    id: str
    body: str
    entities: list[EntityMention]
    casualties: list[CasualtyFigure]
    summary: Summary
    meta: Meta
    title: NotRequired[str]
    url: NotRequired[str]
    source: NotRequired[str]
    author: NotRequired[str]
    published_at: NotRequired[str]
    language: NotRequired[str]
    revision: NotRequired[int]


# ---- casualty-figure.v1.json -----------------------------------------------------------------------------------


class FigureArticle(TypedDict, total=False):
    """The article fields a casualty figure event carries along."""

    title: str | None
    source: str | None
    url: str | None
    published_at: str | None


class CasualtyFigureEvent(TypedDict):
    """One casualty figure of one article (`casualties`), keyed by its place key."""

    event_id: str
    article_id: str
    place_key: str
    figure: CasualtyFigure
    article: FigureArticle
    meta: Meta
    country: NotRequired[str | None]
