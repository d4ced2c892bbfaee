"""JSONL raw articles to `articles.raw` with kafka-python, keyed by article id.

Lines are validated with the same function the worker uses; a rejected line is counted with its reason and not
sent (unless `validate=False`, which sends the bytes as they are, to exercise the dead-letter path).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

import orjson
from kafka import KafkaProducer

from streams.contract.schema import Limits, Rejection, decode_article

FIRST_ERRORS = 10


@dataclass
class IngestReport:
    sent: int = 0
    rejected: Counter = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)

    def reject(self, line_number: int, rejection: Rejection) -> None:
        self.rejected[rejection.reason] += 1
        if len(self.first_errors) < FIRST_ERRORS:
            self.first_errors.append(f"line {line_number}: {rejection.reason}: {rejection.detail}")

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def ingest_stream(
    source: BinaryIO,
    producer: KafkaProducer,
    topic: str,
    limits: Limits,
    validate: bool = True,
    on_line: Callable[[int], None] | None = None,
    on_reject: Callable[[int, Rejection, bytes], None] | None = None,
) -> IngestReport:
    """Send every line of `source`; returns what was sent and what was rejected, by reason. `on_reject` is
    called with the line number, the rejection and the line of each rejected line."""
    report = IngestReport()
    for number, line in enumerate(source, start=1):
        if on_line is not None:
            on_line(len(line))
        line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        if not validate:
            producer.send(topic, key=_key_of(line), value=line)
            report.sent += 1
            continue
        article = decode_article(line, limits, allow_text_alias=True)
        if isinstance(article, Rejection):
            report.reject(number, article)
            if on_reject is not None:
                on_reject(number, article, line)
            continue
        producer.send(topic, key=article["id"], value=orjson.dumps(article))
        report.sent += 1
    producer.flush()
    return report


def _key_of(line: bytes) -> bytes | None:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"].encode()
    return None
