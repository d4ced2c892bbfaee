"""Rendering of consumed records for `streams tail`: JSON pretty-printed, dead letters with their headers."""

from __future__ import annotations

import orjson

PREVIEW_BYTES = 400


def render(message, fmt: str = "json") -> str:
    """One record as text: `json` pretty-prints the value; `brief` condenses an enriched event to a few lines."""
    header = f"── {message.topic}[{message.partition}]@{message.offset} key={_text(message.key)}"
    headers = {name: value.decode("utf-8", "replace") for name, value in (message.headers or [])}
    try:
        value = orjson.loads(message.value)
    except (orjson.JSONDecodeError, TypeError):
        value = None
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
