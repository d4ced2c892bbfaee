"""The building blocks of the JSON Schemas, with the closed vocabularies taken from the code and config/.

Each schema file under `schemas/` is generated from these (`python -m streams.contract.build`) and carries every
definition it uses in its own `$defs`, so that each file validates on its own; `tests/unit/test_schema.py` fails
when a file differs from what the code says (a new outcome, cause or reason without a regenerated schema).
"""

from __future__ import annotations

from typing import Any

# spaCy's OntoNotes labels of en_core_web_sm (the test compares them with the model's NER labels).
ENTITY_LABELS = (
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY",
    "NORP", "ORDINAL", "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)  # fmt: skip
PRECISIONS = ("locality", "admin2", "admin1", "country")
EVIDENCE_FIELDS = ("body", "title")
# Why a figure is kept out of the incident toll (streams/casualties/outliers.py, earlier_incidents.py).
LEFT_OUT_REASONS = ("outlier", "earlier incident")
DEAD_LETTER_STAGES = ("validate", "dedupe", "enrich", "feeds")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DATE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"

Schema = dict[str, Any]


def vocabularies() -> dict[str, list[str]]:
    """Every closed vocabulary of the contract, read from the code that produces the values."""
    from streams.casualties.knowledge import OUTCOMES, QUALIFIERS, VICTIM_TYPES, knowledge
    from streams.contract.schema import Reason
    from streams.sources.feeds.fetch import Reason as FeedReason

    worker_reasons = [value for name, value in vars(Reason).items() if name.isupper()]
    feed_reasons = [value for name, value in vars(FeedReason).items() if name.isupper()]
    return {
        "outcome": list(OUTCOMES),
        "qualifier": [*QUALIFIERS, "range"],
        "victim_type": [*VICTIM_TYPES, "unknown"],
        "cause": [cause for cause, _ in knowledge().causes],
        "entity_label": list(ENTITY_LABELS),
        "precision": list(PRECISIONS),
        "dead_letter_reason": list(dict.fromkeys(worker_reasons + feed_reasons)),
        "reject_reason": [r for r in worker_reasons if r not in (Reason.DUPLICATE_ID, Reason.TOMBSTONE)],
    }


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def nullable(schema: Schema) -> Schema:
    """`schema` or null: a type list for plain types, anyOf for references and enums."""
    if set(schema) <= {"type", "description", "minimum", "pattern", "format", "minLength"} and isinstance(
        schema.get("type"), str
    ):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: Schema, required: tuple[str, ...] = (), description: str = "") -> Schema:
    schema: Schema = {"type": "object"}
    if description:
        schema["description"] = description
    if required:
        schema["required"] = list(required)
    schema["properties"] = properties
    return schema


STRING: Schema = {"type": "string"}
COUNT_INT: Schema = {"type": "integer", "minimum": 0}
OFFSET: Schema = {"type": "integer", "minimum": 0}


def place_properties() -> Schema:
    """The place fields the place stage gives entities, figure locations and summary.place."""
    return {
        "name": nullable(STRING),
        "entity_id": nullable(STRING),
        "country": nullable(ref("country")),
        "admin1": nullable(
            obj({"name": nullable(STRING), "code": nullable(STRING)}, description="First-level region.")
        ),
        "admin2": nullable({"type": "string", "description": "Second-level region (county, district)."}),
        "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "lon": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "geonames_id": {"type": ["integer", "null"]},
        "precision": {
            "enum": [*PRECISIONS, None],
            "description": "How fine the place is: locality (a town) ... country.",
        },
    }


def common_defs(vocab: dict[str, list[str]]) -> dict[str, Schema]:
    """Small definitions many schemas share."""
    return {
        "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        "date_time": {"type": "string", "format": "date-time", "pattern": DATE_TIME_PATTERN},
        "date_or_date_time": {
            "description": "ISO 8601: a date (2017-07-24) or a date-time with its offset.",
            "anyOf": [ref("date"), ref("date_time")],
        },
        "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code."},
        "outcome": {"enum": vocab["outcome"], "description": "What became of the people counted."},
        "victim_type": {"enum": vocab["victim_type"]},
        "toll": obj(
            {
                "min": COUNT_INT,
                "max": nullable({**COUNT_INT, "description": "null when the text gives no upper bound."}),
            },
            ("min", "max"),
        ),
        "place": obj(place_properties(), description="A resolved place (streams/places)."),
        "meta": obj(
            {
                "schema_version": {"type": "string", "pattern": r"^1\.\d+\.\d+$"},
                "pipeline_version": STRING,
                "processed_at": ref("date_time"),
                "event_id": {
                    "type": "string",
                    "description": "Stable id of this enriched event: the same article content always gets the same "
                    "id, so consumers can drop duplicates.",
                },
                "warnings": {"type": "array", "items": STRING},
            },
            ("schema_version", "pipeline_version", "processed_at", "event_id"),
        ),
    }


def figure_defs(vocab: dict[str, list[str]]) -> dict[str, Schema]:
    """A casualty figure and its parts."""
    return {
        "count": obj(
            {
                "min": COUNT_INT,
                "max": nullable(COUNT_INT),
                "qualifier": {"enum": vocab["qualifier"]},
                "vague": {"type": "boolean", "description": "A vague word ('dozens'), counted by convention."},
                "text": nullable(STRING),
            },
            ("min", "max", "qualifier", "vague"),
        ),
        "subgroup": obj(
            {"count": ref("count"), "victims": nullable(STRING), "victim_type": ref("victim_type")},
            ("count",),
            "A part of the figure's victims ('including 3 children'); never added to a toll.",
        ),
        "perpetrator": obj(
            {"text": STRING, "entity_id": nullable(STRING)}, ("text",), "Who did it, linked to an entity."
        ),
        "period": obj(
            {"text": STRING, "start": nullable(ref("date")), "end": nullable(ref("date"))},
            ("text",),
            "The period a cumulative figure covers ('since 2014'): dates when the text gives them.",
        ),
        "location": obj(
            {
                "text": nullable({"type": "string", "description": "As written; null for a place inherited."}),
                "canonical": nullable(STRING),
                **place_properties(),
                "inherited": {"type": "boolean", "description": "The incident's place, the figure naming none."},
            },
            description="A place named in the figure's sentence (entity_id links it to an entity).",
        ),
        "evidence": obj(
            {
                "sentence": STRING,
                "field": {"enum": list(EVIDENCE_FIELDS)},
                "start": nullable(OFFSET),
                "end": nullable(OFFSET),
            },
            ("sentence", "start", "end"),
            "The sentence stating the figure. In the body: start/end are its character offsets "
            "(body[start:end] == sentence); in the title (field 'title'): start/end are null.",
        ),
        "left_out": obj(
            {"reason": {"enum": list(LEFT_OUT_REASONS)}, "detail": STRING},
            ("reason", "detail"),
            "Why the figure is kept out of the incident toll.",
        ),
        "casualty_figure": casualty_figure_def(vocab),
    }


def casualty_figure_def(vocab: dict[str, list[str]]) -> Schema:
    """One casualty figure: its parts are `figure_defs`'s."""
    return obj(
        {
            "id": {"type": "string", "description": "Stable figure id (same article content, same id)."},
            "outcome": ref("outcome"),
            "count": ref("count"),
            "victims": nullable(STRING),
            "victim_type": ref("victim_type"),
            "subgroups": {"type": "array", "items": ref("subgroup")},
            "cause": nullable({"enum": vocab["cause"]}),
            "perpetrator": nullable(ref("perpetrator")),
            "locations": {"type": "array", "items": ref("location")},
            "date": nullable({**ref("date"), "description": "The incident day, when the text dates it."}),
            "period": nullable(ref("period")),
            "cumulative": {"type": "boolean", "description": "A toll over a period, not one incident."},
            "according_to": nullable(STRING),
            "in_incident_total": {"type": "boolean", "description": "Counted in summary.killed or injured."},
            "left_out": ref("left_out"),
            "evidence": ref("evidence"),
        },
        ("id", "outcome", "count", "victim_type", "cumulative", "evidence"),
    )
