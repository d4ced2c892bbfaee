"""Articles keyed by their id, so that one partition owns each id. Pure: no Kafka client in here.

Producers key `articles.raw` as they like (the article id, a feed's URL, nothing), so the same id can arrive on
several partitions, and a check kept per partition (the table of versions seen) would miss a second body sent
under another key. The worker therefore forwards every valid raw record, unchanged, to a topic keyed by the
article id; the version check and the enrichment consume that topic, where all records of an id share a
partition and so the table partition that remembers the id. The forwarded copy carries the raw record's
coordinates and key in headers, so that a dead letter still names and carries the record as it arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from streams.enrichment.batch import SourceRecord

HEADER_PREFIX = "streams.source."


def route_key(article: dict) -> bytes:
    """The key of an article's copy on the by-id topic: its id."""
    return str(article["id"]).encode("utf-8", "surrogatepass")


def forward_headers(record: SourceRecord) -> list[tuple[str, bytes]]:
    """Headers that let the copy name the raw record it came from (key, topic, partition, offset, time)."""
    fields = [
        ("topic", record.topic.encode()),
        ("partition", str(record.partition).encode()),
        ("offset", str(record.offset).encode()),
    ]
    if record.timestamp is not None:
        fields.append(("timestamp", repr(record.timestamp).encode()))
    if record.key is not None:
        fields.append(("key", record.key))
    return [(HEADER_PREFIX + name, value) for name, value in fields]


def _header_map(headers: Iterable[tuple[str, bytes]] | Mapping[str, bytes] | None) -> dict[str, bytes]:
    if not headers:
        return {}
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {name: value for name, value in items if name.startswith(HEADER_PREFIX)}


def origin_of(copy: SourceRecord, headers: Iterable[tuple[str, bytes]] | Mapping[str, bytes] | None) -> SourceRecord:
    """The copy with its origin (the raw record) filled in from its headers; unchanged without them."""
    found = _header_map(headers)
    try:
        timestamp = found.get(HEADER_PREFIX + "timestamp")
        origin = SourceRecord(
            key=found.get(HEADER_PREFIX + "key"),
            value=copy.value,
            topic=found[HEADER_PREFIX + "topic"].decode(),
            partition=int(found[HEADER_PREFIX + "partition"]),
            offset=int(found[HEADER_PREFIX + "offset"]),
            timestamp=float(timestamp) if timestamp is not None else None,
        )
    except (KeyError, ValueError, UnicodeDecodeError):  # not a copy this worker made: report it as it is
        return copy
    return SourceRecord(
        key=copy.key,
        value=copy.value,
        topic=copy.topic,
        partition=copy.partition,
        offset=copy.offset,
        timestamp=origin.timestamp if origin.timestamp is not None else copy.timestamp,
        origin=origin,
    )
