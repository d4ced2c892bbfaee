"""The record of an input line that `streams ingest` or `streams enrich` rejected (`enrich-reject.v1.json`).

Rejects never go into the enriched output: they go to `--rejects FILE` (one JSON object per line), and their
count and first reasons to stderr.
"""

from __future__ import annotations

import orjson

from streams.contract.schema import Rejection


def line_id(raw: bytes) -> str | None:
    """The line's `id` when it is a JSON object with a string or integer id, else None."""
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if isinstance(decoded, dict) and isinstance(decoded.get("id"), (str, int)) and not isinstance(decoded["id"], bool):
        return str(decoded["id"])
    return None


def reject_record(line_number: int, rejection: Rejection, raw: bytes) -> dict:
    """{"id": ..., "error": {"reason", "detail", "line"}} for one rejected input line."""
    return {
        "id": line_id(raw),
        "error": {"reason": rejection.reason, "detail": rejection.detail, "line": line_number},
    }
