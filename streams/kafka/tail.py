"""Rendering of consumed records for `streams tail`.

By default one JSON object per line, as the console consumer prints values: the record's value, or an envelope
(topic, partition, offset, timestamp, key, headers, value) for a dead letter, a value that is not JSON, or
every record with `envelope=True` (as `kcat -J`). `render` is the form for people: a header line, the value
pretty-printed, dead letters with their headers, and `brief` a few lines per enriched event.
"""

from __future__ import annotations

import base64

import orjson

PREVIEW_BYTES = 400


def envelope(message) -> dict:
    """The record with its coordinates and headers; a value that is not JSON is given in base64."""
    headers = {name: value.decode("utf-8", "replace") for name, value in (message.headers or [])}
    record = {
        "topic": message.topic,
        "partition": message.partition,
        "offset": message.offset,
        "timestamp": message.timestamp,
        "key": None if message.key is None else message.key.decode("utf-8", "replace"),
        "headers": headers,
        "value": None,
    }
    if message.value is not None:
        try:
            record["value"] = orjson.loads(message.value)
        except orjson.JSONDecodeError:
            record["value_base64"] = base64.b64encode(message.value).decode("ascii")
    return record


def json_line(message, always_envelope: bool = False) -> bytes:
    """One record as one line of JSON (newline included): its value, else its envelope (see the module doc)."""
    is_dead_letter = any(name == "dlq.reason" for name, _ in (message.headers or []))
    if not always_envelope and not is_dead_letter and message.value is not None:
        try:
            return orjson.dumps(orjson.loads(message.value)) + b"\n"
        except orjson.JSONDecodeError:
            pass
    return orjson.dumps(envelope(message)) + b"\n"


def render(message, fmt: str = "pretty") -> str:
    """One record as text for people: `pretty` indents the value; `brief` condenses an enriched event."""
    header = f"── {message.topic}[{message.partition}]@{message.offset} key={_text(message.key)}"
    headers = {name: value.decode("utf-8", "replace") for name, value in (message.headers or [])}
    try:
        value = orjson.loads(message.value)
    except (orjson.JSONDecodeError, TypeError):
        value = None
    if message.value is None:
        return f"{header}\n(tombstone)"
    if headers.get("dlq.reason"):
        preview = message.value[:PREVIEW_BYTES]
        return "\n".join(
            [
                header,
                orjson.dumps(headers, option=orjson.OPT_INDENT_2).decode(),
                f"original ({len(message.value)} bytes): {preview!r}"
                + (" ..." if len(message.value) > PREVIEW_BYTES else ""),
            ]
        )
    if value is None:
        return f"{header}\n{message.value[:PREVIEW_BYTES]!r}"
    if fmt == "brief" and isinstance(value, dict) and "summary" in value:
        return f"{header}\n{brief(value)}"
    return f"{header}\n{orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()}"


def brief(event: dict) -> str:
    """An enriched event in a few lines: entities by label, each casualty figure, the incident summary."""
    lines = [f"{event['id']}: {event.get('title') or event['body'][:80]!r}"]
    by_label: dict[str, list[str]] = {}
    for entity in event["summary"].get("entities", []):
        by_label.setdefault(entity["label"], []).append(
            entity["canonical"] + (f" [{entity['country']}]" if entity.get("country") else "")
        )
    for label, names in sorted(by_label.items()):
        lines.append(f"  {label}: {', '.join(names)}")
    for figure in event["casualties"]:
        count = figure["count"]
        amount = count["min"] if count.get("max") in (None, count["min"]) else f"{count['min']}-{count['max']}"
        flags = [name for name in ("cumulative",) if figure.get(name)]
        lines.append(
            f"  casualties: {amount} {figure.get('victims') or ''} {figure['outcome']}"
            f" ({count['qualifier']}{', ' + ', '.join(flags) if flags else ''})"
            f" according to {figure.get('according_to') or 'the article'}"
            f" — {figure['evidence']['sentence'][:100]!r}"
        )
    summary = event["summary"]
    lines.append(f"  incident toll: killed {summary['killed']}, injured {summary['injured']}")
    return "\n".join(lines)


def _text(key: bytes | None) -> str:
    return "∅" if key is None else key.decode("utf-8", "replace")
