"""The event shapes of the topics as TypedDicts, field for field as the JSON Schemas in `schemas/` state them.

They type the dicts the code passes around (an event is still a plain dict at run time, decoded from JSON): a
key the schema requires is a required key here, one it does not is `NotRequired`, and a field the schema lets be
null is `... | None`. Vocabularies that come from config/ (outcomes, victim types, causes, entity labels) are
`str` here and enums in the schemas (`streams/contract/definitions.py` reads them from the code).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Precision = Literal["locality", "admin2", "admin1", "country"]


class Admin1(TypedDict):
    name: str | None
    code: str | None


class Place(TypedDict, total=False):
    """The place fields of streams/places: on place entities, figure locations and `summary.place`."""

    name: str | None
    entity_id: str | None
    country: str | None
    admin1: Admin1 | None
    admin2: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    precision: Precision | None


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


class EntityMention(Place):
    text: str
    label: str
    start: int
    end: int
    canonical: str
    id: str


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


class Subgroup(TypedDict):
    count: Count
    victims: NotRequired[str | None]
    victim_type: NotRequired[str]


class Perpetrator(TypedDict):
    text: str
    entity_id: NotRequired[str | None]


class Period(TypedDict):
    text: str
    start: NotRequired[str | None]
    end: NotRequired[str | None]


class Location(Place, total=False):
    text: str | None
    canonical: str | None
    inherited: bool


class LeftOut(TypedDict):
    reason: Literal["outlier", "earlier incident"]
    detail: str


class CasualtyFigure(TypedDict):
    id: str
    outcome: str
    count: Count
    victim_type: str
    cumulative: bool
    evidence: Evidence
    victims: NotRequired[str | None]
    subgroups: NotRequired[list[Subgroup]]
    cause: NotRequired[str | None]
    perpetrator: NotRequired[Perpetrator | None]
    locations: NotRequired[list[Location]]
    date: NotRequired[str | None]
    period: NotRequired[Period | None]
    according_to: NotRequired[str | None]
    in_incident_total: NotRequired[bool]
    left_out: NotRequired[LeftOut]


class CumulativeToll(TypedDict):
    outcome: str
    min: int
    max: NotRequired[int | None]
    according_to: NotRequired[str | None]
    period: NotRequired[Period | None]


class SummaryEntity(Place):
    """One unique entity of the article; a place keeps its mention's place fields."""

    id: str
    canonical: str
    label: str
    mentions: int
    first_offset: int


class Summary(TypedDict):
    """The incident toll of every outcome (killed and injured in every version; the others since 1.1.0)."""

    killed: Toll
    injured: Toll
    entities: list[SummaryEntity]
    kidnapped: NotRequired[Toll]
    arrested: NotRequired[Toll]
    missing: NotRequired[Toll]
    displaced: NotRequired[Toll]
    cumulative: NotRequired[list[CumulativeToll]]
    place: NotRequired[Place | None]


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


# ---- dead-letter.v1.json, enrich-reject.v1.json ----------------------------------------------------------------

DeadLetterHeaders = TypedDict(
    "DeadLetterHeaders",
    {
        "dlq.reason": str,
        "dlq.detail": str,
        "dlq.stage": Literal["validate", "dedupe", "enrich", "feeds"],
        "dlq.source.topic": NotRequired[str],
        "dlq.source.partition": NotRequired[str],
        "dlq.source.offset": NotRequired[str],
        "dlq.source.url": NotRequired[str],
        "dlq.source.feed": NotRequired[str],
        "dlq.failed_at": str,
        "dlq.pipeline_version": str,
    },
)


class RejectError(TypedDict):
    reason: str
    detail: str
    line: int


class RejectRecord(TypedDict):
    """One rejected input line of `streams enrich` / `streams ingest` (`--rejects FILE`)."""

    id: str | None
    error: RejectError
