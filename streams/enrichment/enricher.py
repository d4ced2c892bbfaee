"""Enrichment of normalised articles: entities, then casualty figures, then the enriched event. No Kafka here.

The worker, `streams enrich` and the benchmarks all call `Enricher.enrich_batch`, so what is measured and tested
is what runs in production.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

import orjson

from streams import __version__
from streams.casualties import extract_casualties
from streams.casualties.knowledge import OUTCOMES
from streams.contract.schema import SCHEMA_VERSION, Limits, Reason, Rejection, decode_article
from streams.entities import EntityRecognizer, summarize_entities
from streams.places import PlaceStage

UNKNOWN_PLACE = "unknown"
# Markup some feeds leave in bodies: script/style elements whole, other tags alone.
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<[A-Za-z/!][^<>]{0,500}>", re.IGNORECASE | re.DOTALL)


def mask_markup(text: str) -> str:
    """The text with HTML tags (and script/style contents) blanked by spaces: same length, so offsets hold.

    The body itself is kept as sent; only the NLP reads the masked copy.
    """
    if "<" not in text:
        return text
    return _MARKUP.sub(lambda match: " " * (match.end() - match.start()), text)


def evidence_from_body(figures: list[dict], body: str) -> None:
    """Give each body figure the sentence as the body has it, `body[start:end]`, markup and all: the extractor
    read the tag-blanked copy, whose offsets are the body's but whose text is not."""
    for figure in figures:
        evidence = figure.get("evidence") or {}
        if evidence.get("field") == "body" and evidence.get("start") is not None:
            evidence["sentence"] = body[evidence["start"] : evidence["end"]]


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def article_event_id(article: dict) -> str:
    """Stable across replays: the same id and content always give the same event id."""
    return f"{article['id']}@{_digest(article['body'], article.get('title') or '', __version__)}"


def figure_id(article_event: str, figure: dict) -> str:
    evidence = figure.get("evidence") or {}
    count = figure.get("count") or {}
    return _digest(
        article_event,
        figure.get("outcome") or "",
        str(evidence.get("start")),
        str(evidence.get("end")),
        str(count.get("min")),
        str(count.get("text")),
    )


class Enricher:
    """Holds the NLP model (loaded once per process) and turns article batches into enriched events."""

    def __init__(
        self, recognizer: EntityRecognizer | None = None, batch_size: int = 32, places: PlaceStage | None = None
    ):
        self.recognizer = recognizer or EntityRecognizer()
        self.batch_size = batch_size
        # the gazetteer, loaded once per process: places every entity, figure and the incident (summary.place)
        self.places = places or PlaceStage()

    def enrich_batch(self, articles: list[dict]) -> list[dict]:
        """Enriched events for normalised articles, in order. Entity recognition runs batched (nlp.pipe)."""
        texts = [mask_markup(a["body"]) for a in articles]
        mentions_per_article = self.recognizer.recognize_batch(texts, batch_size=self.batch_size)
        processed_at = datetime.now(UTC).isoformat()
        return [
            self.places.place_article(self._enriched(article, text, mentions, processed_at))
            for article, text, mentions in zip(articles, texts, mentions_per_article, strict=True)
        ]

    @staticmethod
    def _enriched(article: dict, text: str, mentions: list[dict], processed_at: str) -> dict:
        result = extract_casualties(
            text, published_at=article.get("published_at"), title=article.get("title"), entities=mentions
        )
        event_id = article_event_id(article)
        figures = [{"id": figure_id(event_id, figure), **figure} for figure in result.figures]
        if text is not article["body"]:
            evidence_from_body(figures, article["body"])
        return {
            **article,
            "entities": mentions,
            "casualties": figures,
            "summary": {
                **result.summary,
                **outcome_tolls(figures, result.summary),
                "entities": summarize_entities(mentions),
            },
            "meta": {
                "schema_version": SCHEMA_VERSION,
                "pipeline_version": __version__,
                "processed_at": processed_at,
                "event_id": event_id,
            },
        }


def outcome_tolls(figures: list[dict], summary: dict) -> dict[str, dict]:
    """A toll for every outcome the summary has none for (kidnapped, arrested, missing, displaced): the figures
    of one sentence add up, other sentences restate (the largest stands); cumulative and left-out figures stay
    out. {min: 0, max: 0} when the article states none."""
    tolls = {}
    for outcome in OUTCOMES:
        if outcome in summary:
            continue
        by_sentence: dict[tuple, tuple[int, int | None]] = {}
        for figure in figures:
            if figure["outcome"] != outcome or figure.get("cumulative") or "left_out" in figure:
                continue
            evidence, count = figure["evidence"], figure["count"]
            key = (evidence.get("field"), evidence.get("start"), evidence["sentence"])
            low, high = by_sentence.get(key, (0, 0))
            by_sentence[key] = (
                low + count["min"],
                None if high is None or count["max"] is None else high + count["max"],
            )
        low, high = max(by_sentence.values(), key=lambda toll: toll[0], default=(0, 0))
        tolls[outcome] = {"min": low, "max": high}
    return tolls


def enrich_isolating_failures(enricher: Enricher, articles: list[dict]) -> Sequence[dict | Exception]:
    """Enriched events in order; if the batch raises, it is retried one by one so that only the article that
    fails is lost to the batch, given back as its exception."""
    if not articles:
        return []
    try:
        return enricher.enrich_batch(articles)
    except Exception:  # isolated below
        pass
    results: list[dict | Exception] = []
    for article in articles:
        try:
            results.extend(enricher.enrich_batch([article]))
        except Exception as exc:
            results.append(exc)
    return results


def place_key(figure: dict) -> tuple[str, str | None]:
    """Key of a figure on the casualties topic: its first linked place, else its country, else 'unknown'."""
    for location in figure.get("locations") or []:
        if location.get("entity_id"):
            return location["entity_id"], location.get("country")
    for location in figure.get("locations") or []:
        if location.get("country"):
            return f"country:{location['country']}", location["country"]
    return UNKNOWN_PLACE, None


def casualty_events(enriched: dict) -> list[dict]:
    """One event per casualty figure for the casualties topic (see casualty-figure.v1.json)."""
    article = {name: enriched.get(name) for name in ("title", "source", "url", "published_at")}
    events = []
    for figure in enriched["casualties"]:
        key, country = place_key(figure)
        events.append(
            {
                "event_id": figure["id"],
                "article_id": enriched["id"],
                "place_key": key,
                "country": country,
                "figure": figure,
                "article": article,
                "meta": enriched["meta"],
            }
        )
    return events


def rejection_line(line_number: int, rejection: Rejection, raw: bytes) -> dict:
    """What `streams enrich` writes for an input line it cannot enrich: one output line per input line."""
    article_id = None
    try:
        decoded = orjson.loads(raw)
        if isinstance(decoded, dict) and isinstance(decoded.get("id"), (str, int)):
            article_id = str(decoded["id"])
    except orjson.JSONDecodeError:
        pass
    return {"id": article_id, "error": {"reason": rejection.reason, "detail": rejection.detail, "line": line_number}}


def enrich_lines(
    lines: Iterable[bytes], enricher: Enricher, limits: Limits = Limits(), batch_size: int = 64
) -> Iterator[dict]:
    """JSONL lines in, one enriched event (or error record) per line out, in input order."""
    pending: list[tuple[int, bytes, dict | Rejection]] = []

    def flush() -> Iterator[dict]:
        results = iter(enrich_isolating_failures(enricher, [item for _, _, item in pending if isinstance(item, dict)]))
        for number, raw, item in pending:
            if isinstance(item, Rejection):
                yield rejection_line(number, item, raw)
                continue
            result = next(results)
            yield (
                result
                if isinstance(result, dict)
                else {
                    "id": item["id"],
                    "error": {"reason": Reason.ENRICHMENT_FAILED, "detail": repr(result)[:500], "line": number},
                }
            )
        pending.clear()

    for number, raw in enumerate(lines, start=1):
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            pending.append((number, raw, Rejection(Reason.EMPTY_FIELD, "empty line")))
        else:
            pending.append((number, raw, decode_article(raw, limits, allow_text_alias=True)))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
