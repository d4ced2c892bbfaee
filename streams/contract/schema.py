"""The event contract: validate and normalise raw article events, and the versioned JSON Schemas.

Validation is a pure function of the message bytes, so the worker, `streams ingest` and `streams enrich` reject
exactly the same inputs for exactly the same reasons. A rejected message is never an exception: it is a
`Rejection` the caller routes to the dead-letter topic (or reports) together with the original bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from importlib import resources
from typing import Any

import orjson

RAW_SCHEMA = "raw-article.v1.json"
ENRICHED_SCHEMA = "enriched-article.v1.json"
CASUALTY_SCHEMA = "casualty-figure.v1.json"
DEAD_LETTER_SCHEMA = "dead-letter.v1.json"
REJECT_SCHEMA = "enrich-reject.v1.json"
INCIDENT_SCHEMA = "incident.v1.json"
# meta.schema_version of the events written: minor versions only add (docs/event-contract.md#versions).
SCHEMA_VERSION = "1.1.0"

OPTIONAL_TEXT_FIELDS = ("title", "url", "source", "author", "language")
# C0 controls other than tab, newline and carriage return, plus DEL: replaced one-for-one by a space so that
# character offsets into the body stay valid.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Reason:
    """Dead-letter reasons: short, stable identifiers a dashboard can group by."""

    INVALID_UTF8 = "invalid_utf8"
    NOT_JSON = "not_json"
    TOO_DEEP = "too_deep"
    NOT_OBJECT = "not_object"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    EMPTY_FIELD = "empty_field"
    TOO_LARGE = "too_large"
    ENRICHMENT_FAILED = "enrichment_failed"
    DUPLICATE_ID = "duplicate_id_conflict"
    TOMBSTONE = "tombstone"  # a record with a null value (a delete marker) where an article was expected


@dataclass(frozen=True)
class Rejection:
    reason: str
    detail: str


@dataclass(frozen=True)
class Limits:
    max_body_chars: int = 1_000_000
    max_id_chars: int = 512


def _normalise_timestamp(value: str) -> str | None:
    """ISO 8601 (date or datetime) or RFC 2822 to ISO 8601; None when it cannot be read."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat()


def normalise_article(obj: Any, limits: Limits = Limits(), allow_text_alias: bool = False) -> dict | Rejection:
    """Check a decoded raw event against the contract and return the normalised article.

    `allow_text_alias` accepts `{"id", "text"}` with `text` standing for `body` (the `streams enrich` input).
    """
    if not isinstance(obj, dict):
        return Rejection(Reason.NOT_OBJECT, f"event must be a JSON object, got {type(obj).__name__}")
    if allow_text_alias and "body" not in obj and "text" in obj:
        obj = {**obj, "body": obj["text"]}
    for name in ("id", "body"):
        if name not in obj or obj[name] is None:
            return Rejection(Reason.MISSING_FIELD, f"required field '{name}' is missing")
    article_id, body = obj["id"], obj["body"]
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str):
        return Rejection(Reason.WRONG_TYPE, f"'id' must be a string, got {type(article_id).__name__}")
    article_id = article_id.strip()
    if not article_id:
        return Rejection(Reason.EMPTY_FIELD, "'id' is empty")
    if len(article_id) > limits.max_id_chars or _CONTROL_CHARS.search(article_id):
        return Rejection(
            Reason.WRONG_TYPE if len(article_id) <= limits.max_id_chars else Reason.TOO_LARGE,
            f"'id' must be at most {limits.max_id_chars} printable characters",
        )
    if not isinstance(body, str):
        return Rejection(Reason.WRONG_TYPE, f"'body' must be a string, got {type(body).__name__}")
    if len(body) > limits.max_body_chars:
        return Rejection(Reason.TOO_LARGE, f"'body' has {len(body)} characters, limit {limits.max_body_chars}")
    if not body.strip():
        return Rejection(Reason.EMPTY_FIELD, "'body' is empty")
    article: dict[str, Any] = {"id": article_id, "body": _CONTROL_CHARS.sub(" ", body)}
    for name in OPTIONAL_TEXT_FIELDS:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return Rejection(Reason.WRONG_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
        if len(value) > 4096:
            return Rejection(Reason.TOO_LARGE, f"'{name}' must be at most 4096 characters")
        article[name] = _CONTROL_CHARS.sub(" ", value).strip()
    if "language" in article and not _LANGUAGE.match(article["language"]):
        return Rejection(Reason.WRONG_TYPE, "'language' must be a BCP 47 tag such as 'en'")
    revision = obj.get("revision")
    if revision is not None:
        if not isinstance(revision, int) or isinstance(revision, bool) or not 0 <= revision < 2**31:
            return Rejection(Reason.WRONG_TYPE, "'revision' must be a non-negative integer")
        article["revision"] = revision
    published = obj.get("published_at")
    if published is not None:
        if not isinstance(published, str):
            return Rejection(Reason.WRONG_TYPE, f"'published_at' must be a string, got {type(published).__name__}")
        normalised = _normalise_timestamp(published)
        if normalised is None:
            return Rejection(
                Reason.WRONG_TYPE, f"'published_at' is not an ISO 8601 or RFC 2822 date: {published[:64]!r}"
            )
        article["published_at"] = normalised
    return article


def decode_article(data: bytes, limits: Limits = Limits(), allow_text_alias: bool = False) -> dict | Rejection:
    """Bytes off the wire to a normalised article, or the reason they are not one."""
    if len(data) > limits.max_body_chars * 4 + 65536:
        return Rejection(Reason.TOO_LARGE, f"message of {len(data)} bytes exceeds the article size limit")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejection(Reason.INVALID_UTF8, f"not valid UTF-8 at byte {exc.start}")
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        message = str(exc)
        if "recursion" in message.lower() or "depth limit" in message.lower():
            return Rejection(Reason.TOO_DEEP, "JSON nested deeper than the decoder's limit")
        return Rejection(Reason.NOT_JSON, f"not JSON: {message[:200]}")
    return normalise_article(obj, limits, allow_text_alias)


@cache
def load_schema(name: str) -> dict:
    """A JSON Schema shipped with the package (`streams/contract/schemas/`)."""
    return orjson.loads(resources.files("streams.contract.schemas").joinpath(name).read_bytes())


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def schema_validator(name: str):
    """A validator for one of the package's schemas, on its own (each file carries every definition it uses),
    checking `format: date` and `date-time` too."""
    import jsonschema

    formats = jsonschema.FormatChecker(["date"])
    formats.checks("date-time")(_is_date_time)
    return jsonschema.Draft202012Validator(load_schema(name), format_checker=formats)
