"""The schema files of `schemas/`, generated from `definitions.py`: each with only the `$defs` it uses.

python -m streams.contract.build           # rewrite streams/contract/schemas/*.json
python -m streams.contract.build --check   # exit 1 when a file differs from what the code says
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from streams.contract.definitions import (
    COUNT_INT,
    OFFSET,
    STRING,
    Schema,
    common_defs,
    figure_defs,
    nullable,
    obj,
    place_properties,
    ref,
    vocabularies,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def entity_defs(vocab: dict[str, list[str]]) -> dict[str, Schema]:
    """Entity mentions and the article summary."""
    label = {"enum": vocab["entity_label"], "description": "OntoNotes label of en_core_web_sm."}
    return {
        "entity_mention": obj(
            {
                "text": STRING,
                "label": label,
                "start": OFFSET,
                "end": OFFSET,
                "canonical": STRING,
                "id": STRING,
                **place_properties(),
            },
            ("text", "label", "start", "end", "canonical", "id"),
            "One mention; a place carries the place fields.",
        ),
        "summary_entity": obj(
            {
                "id": STRING,
                "canonical": STRING,
                "label": label,
                "mentions": {"type": "integer", "minimum": 1},
                "first_offset": OFFSET,
                **place_properties(),
            },
            ("id", "canonical", "label", "mentions", "first_offset"),
        ),
        "cumulative_toll": obj(
            {
                "outcome": ref("outcome"),
                "min": COUNT_INT,
                "max": nullable(COUNT_INT),
                "according_to": nullable(STRING),
                "period": nullable(ref("period")),
            },
            ("outcome", "min"),
        ),
        "summary": summary_def(vocab),
    }


def summary_def(vocab: dict[str, list[str]]) -> Schema:
    """The summary: a toll for every outcome the extractor knows (killed and injured always; the others since
    1.1.0), the cumulative tolls, the entities and the place."""
    other_outcomes = [outcome for outcome in vocab["outcome"] if outcome not in ("killed", "injured")]
    return obj(
        {
            "killed": ref("toll"),
            "injured": ref("toll"),
            **{
                outcome: {**ref("toll"), "description": f"The article's {outcome} toll (since 1.1.0)."}
                for outcome in other_outcomes
            },
            "cumulative": {
                "type": "array",
                "description": "Tolls over a period (e.g. '603 since 2014'), kept out of the incident toll.",
                "items": ref("cumulative_toll"),
            },
            "entities": {
                "type": "array",
                "description": "Unique entities of the article with their mention counts.",
                "items": ref("summary_entity"),
            },
            "place": nullable({**ref("place"), "description": "The incident's place (streams/places)."}),
        },
        ("killed", "injured", "entities"),
        "The article's incident toll for every outcome, its cumulative tolls, entities and place.",
    )


RAW_FIELDS: Schema = {
    "id": {
        "type": "string",
        "minLength": 1,
        "maxLength": 512,
        "description": "Stable article id; also the Kafka message key.",
    },
    "body": {
        "type": "string",
        "minLength": 1,
        "description": "Plain text of the article. Entity and casualty offsets are character offsets into it.",
    },
    "title": {"type": "string", "maxLength": 4096},
    "url": {"type": "string", "maxLength": 4096},
    "source": {"type": "string", "maxLength": 4096, "description": "Publisher or agency, e.g. AFP."},
    "author": {"type": "string", "maxLength": 4096},
    "published_at": {
        **ref("date_or_date_time"),
        "description": "ISO 8601 date or date-time (RFC 2822 accepted on input and normalised).",
    },
    "language": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
    "revision": {
        "type": "integer",
        "minimum": 0,
        "maximum": 2147483647,
        "description": "Edition of an article whose text changed under the same id (0 when absent); a changed "
        "body needs a higher revision.",
    },
}


def raw_article(_vocab: dict[str, list[str]]) -> Schema:
    return {
        "title": "Raw article event (articles.raw), version 1",
        "description": "One news article as it enters the pipeline. Message key: the article id.",
        **obj(RAW_FIELDS, ("id", "body")),
    }


def enriched_article(_vocab: dict[str, list[str]]) -> Schema:
    return {
        "title": "Enriched article event (articles.enriched), version 1",
        "description": "The raw article's fields plus entities, casualty figures, a summary and processing "
        "metadata. Message key: the article id. All offsets are character offsets into body.",
        **obj(
            {
                **{name: {k: v for k, v in field.items() if k != "maxLength"} for name, field in RAW_FIELDS.items()},
                "entities": {"type": "array", "items": ref("entity_mention")},
                "casualties": {"type": "array", "items": ref("casualty_figure")},
                "summary": ref("summary"),
                "meta": ref("meta"),
            },
            ("id", "body", "entities", "casualties", "summary", "meta"),
        ),
    }


def casualty_figure(_vocab: dict[str, list[str]]) -> Schema:
    article = {name: nullable(STRING) for name in ("title", "source", "url")}
    return {
        "title": "Casualty figure event (casualties topic), version 1",
        "description": "One casualty figure of one article, so services can consume figures without parsing "
        "articles. Message key: the place key (entity id of the first location, else country:XX, else 'unknown').",
        **obj(
            {
                "event_id": {"type": "string", "description": "The figure's id: a replay gives the same id."},
                "article_id": STRING,
                "place_key": STRING,
                "country": nullable(ref("country")),
                "figure": ref("casualty_figure"),
                "article": obj({**article, "published_at": nullable(ref("date_or_date_time"))}),
                "meta": ref("meta"),
            },
            ("event_id", "article_id", "place_key", "figure", "article", "meta"),
        ),
    }


def dead_letter(vocab: dict[str, list[str]]) -> Schema:
    text = {"type": "string", "maxLength": 1000}
    return {
        "title": "Dead-letter headers (articles.deadletter), version 1",
        "description": "The headers of a dead letter, as an object of header name to UTF-8 value (as `streams tail "
        "--envelope` prints them under 'headers'). The message value is the original bytes, unchanged (null for a "
        "tombstone); the key is the original key.",
        **obj(
            {
                "dlq.reason": {"enum": vocab["dead_letter_reason"]},
                "dlq.detail": {**text, "description": "What was wrong, for people."},
                "dlq.stage": {"enum": ["validate", "dedupe", "enrich", "feeds"]},
                "dlq.source.topic": STRING,
                "dlq.source.partition": {"type": "string", "pattern": r"^\d+$"},
                "dlq.source.offset": {"type": "string", "pattern": r"^\d+$"},
                "dlq.source.url": {"type": "string", "description": "Feed poller: the page."},
                "dlq.source.feed": {"type": "string", "description": "Feed poller: the feed."},
                "dlq.failed_at": ref("date_time"),
                "dlq.pipeline_version": STRING,
            },
            ("dlq.reason", "dlq.detail", "dlq.stage", "dlq.failed_at", "dlq.pipeline_version"),
        ),
    }


def enrich_reject(vocab: dict[str, list[str]]) -> Schema:
    return {
        "title": "Rejected input line of streams enrich / streams ingest (--rejects FILE), version 1",
        "description": "One JSON object per rejected line; the enriched output never holds these.",
        **obj(
            {
                "id": nullable({"type": "string", "description": "The line's id when it has one."}),
                "error": obj(
                    {
                        "reason": {"enum": vocab["reject_reason"]},
                        "detail": STRING,
                        "line": {"type": "integer", "minimum": 1, "description": "1-based line number of the input."},
                    },
                    ("reason", "detail", "line"),
                ),
            },
            ("id", "error"),
        ),
    }


DOCUMENTS: dict[str, tuple[str, Callable[[dict[str, list[str]]], Schema]]] = {
    "raw-article.v1.json": ("urn:news-streams:raw-article:v1", raw_article),
    "enriched-article.v1.json": ("urn:news-streams:enriched-article:v1", enriched_article),
    "casualty-figure.v1.json": ("urn:news-streams:casualty-figure:v1", casualty_figure),
    "dead-letter.v1.json": ("urn:news-streams:dead-letter:v1", dead_letter),
    "enrich-reject.v1.json": ("urn:news-streams:enrich-reject:v1", enrich_reject),
}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            yield target.removeprefix("#/$defs/")
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def with_used_defs(schema: Schema, defs: dict[str, Schema]) -> Schema:
    """`schema` with the `$defs` it refers to, transitively, in the order of `defs`."""
    used: set[str] = set()
    pending = list(_refs(schema))
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending.extend(_refs(defs[name]))
    return {**schema, "$defs": {name: defs[name] for name in defs if name in used}} if used else schema


def documents() -> dict[str, Schema]:
    """Every generated schema file's content, by file name."""
    vocab = vocabularies()
    defs = {**common_defs(vocab), **figure_defs(vocab), **entity_defs(vocab)}
    return {
        name: {"$schema": DRAFT, "$id": urn, **with_used_defs(build(vocab), defs)}
        for name, (urn, build) in DOCUMENTS.items()
    }


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.contract.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name, schema in documents().items():
        path = SCHEMA_DIR / name
        text = render(schema)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)} (run python -m streams.contract.build)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
