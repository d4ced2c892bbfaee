"""Each article once: stable ids from canonical URLs, content hashes, and the seen state that survives restarts.

The state lives in a compacted Kafka topic (`state.seen_topic`, key = article id, value = the latest record for
that id) rather than a local file: the poller then keeps nothing on its disk, so it can be rescheduled on any
machine or container and pick up exactly where it left off, the state is replicated and backed up like the
articles themselves, and compaction bounds it to one record per article. It is read back in full at start-up;
run one poller per feed list (two pollers of the same feeds would each emit what the other has not yet
recorded).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import asdict, dataclass, replace
from enum import Enum
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from kafka import TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.config import Settings
from streams.kafka.clients import admin_client, json_producer, raw_consumer

log = logging.getLogger(__name__)

_TRACKING_PARAM = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ocid|cmpid|"
    r"at_\w+|ns_\w+|ito|xtor|smid|ref|ref_src|referrer|rss|feed|cmp|sr_share)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The URL one article is known by: lower-case scheme and host, no default port, no fragment, no tracking
    parameters, remaining parameters sorted, empty path as '/'."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host if parts.port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    query = urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAM.match(name)
        )
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def article_id(url: str) -> str:
    """A short stable id (and Kafka key) for the article at `url`, the same for every spelling of the URL."""
    return "url-" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:32]


def content_hash(body: str) -> str:
    """Fingerprint of an article's text that ignores differences in white space."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


class Status(str, Enum):  # noqa: UP042 - str() of a member stays "Status.EMITTED" (StrEnum gives the value)
    EMITTED = "emitted"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class SeenRecord:
    """What the poller knows of one article id; `entry` fingerprints the feed item (its date and title)."""

    url: str
    entry: str
    status: Status
    content_hash: str | None = None
    revision: int = -1  # of the last emitted edition; -1 when none was emitted
    attempts: int = 0  # failed fetches of the current feed entry
    duplicate_of: str | None = None


class Verdict(str, Enum):  # noqa: UP042 - as Status
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


class SeenState:
    """The in-memory seen state and the decisions made from it. Pure: `SeenLog` loads and persists it."""

    def __init__(self, records: dict[str, SeenRecord] | None = None, max_attempts: int = 3) -> None:
        self.records: dict[str, SeenRecord] = {}
        self._by_hash: dict[str, str] = {}
        self.max_attempts = max_attempts
        for key, record in (records or {}).items():
            self.put(key, record)

    def put(self, key: str, record: SeenRecord) -> None:
        previous = self.records.get(key)
        if previous is not None and previous.status is Status.EMITTED and previous.content_hash:
            self._by_hash.pop(previous.content_hash, None)
        self.records[key] = record
        if record.status is Status.EMITTED and record.content_hash:
            self._by_hash[record.content_hash] = key

    def needs_fetch(self, key: str, entry: str) -> bool:
        """Fetch the page when the item is new, its feed entry changed, or it failed fewer than max times."""
        record = self.records.get(key)
        if record is None or record.entry != entry:
            return True
        return 0 < record.attempts < self.max_attempts

    def judge(self, key: str, body_hash: str) -> tuple[Verdict, SeenRecord | None]:
        """How a freshly extracted text relates to what was emitted; returns the verdict and the emitted record
        it was compared with (the other article's for a duplicate)."""
        record = self.records.get(key)
        if record is not None and record.status is Status.EMITTED:
            if record.content_hash == body_hash:
                return Verdict.UNCHANGED, record
            return Verdict.UPDATED, record
        owner = self._by_hash.get(body_hash)
        if owner is not None and owner != key:
            return Verdict.DUPLICATE, self.records[owner]
        return Verdict.NEW, None

    def failed(self, key: str, url: str, entry: str) -> SeenRecord:
        """The record after a failed attempt: attempts count up while the feed entry stays the same, and an
        emitted article keeps its hash and revision so a later success is judged against them."""
        record = self.records.get(key)
        attempts = record.attempts + 1 if record is not None and record.entry == entry else 1
        if record is not None and record.status is Status.EMITTED:
            return replace(record, entry=entry, attempts=attempts)
        return SeenRecord(url=url, entry=entry, status=Status.FAILED, attempts=attempts)


def encode_record(record: SeenRecord) -> bytes:
    return orjson.dumps({**asdict(record), "status": record.status.value, "recorded_at": time.time()})


def decode_record(data: bytes) -> SeenRecord:
    fields = orjson.loads(data)
    fields.pop("recorded_at", None)
    return SeenRecord(**{**fields, "status": Status(fields["status"])})


class SeenLog:
    """The seen state's home: a compacted topic, created explicitly and read back in full at start-up."""

    def __init__(self, settings: Settings, topic: str, max_attempts: int) -> None:
        self.settings, self.topic, self.max_attempts = settings, topic, max_attempts
        self._producer = None

    def ensure_topic(self) -> None:
        client = admin_client(self.settings)
        try:
            if self.topic in set(client.list_topics()):
                return
            config = {
                "cleanup.policy": "compact",
                "min.compaction.lag.ms": "60000",
                "max.message.bytes": str(self.settings.topics.max_message_bytes),
            }
            try:
                client.create_topics(
                    [
                        NewTopic(
                            name=self.topic,
                            num_partitions=self.settings.topics.partitions,
                            replication_factor=self.settings.topics.replication_factor,
                            topic_configs=config,
                        )
                    ]
                )
            except TopicAlreadyExistsError:  # another poller created it meanwhile
                pass
        finally:
            client.close()

    def load(self) -> SeenState:
        """Every id's latest record, read from the beginning up to the end offsets found at start-up."""
        consumer = raw_consumer(self.settings, client_id="streams-feeds-state")
        try:
            partitions = [
                TopicPartition(self.topic, p) for p in sorted(consumer.partitions_for_topic(self.topic) or ())
            ]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            remaining = {tp: end for tp, end in consumer.end_offsets(partitions).items() if end > 0}
            records: dict[str, SeenRecord] = {}
            while remaining:
                for tp, batch in consumer.poll(timeout_ms=1000).items():
                    for message in batch:
                        key = message.key.decode("utf-8")
                        if message.value is None:
                            records.pop(key, None)
                        else:
                            records[key] = decode_record(message.value)
                    if consumer.position(tp) >= remaining.get(tp, 0):
                        remaining.pop(tp, None)
        finally:
            consumer.close()
        log.info("feeds: %d seen articles loaded from %s", len(records), self.topic)
        return SeenState(records, self.max_attempts)

    def write(self, key: str, record: SeenRecord) -> None:
        producer = self._producer
        if producer is None:
            producer = self._producer = json_producer(self.settings, client_id="streams-feeds-state")
        producer.send(self.topic, key=key, value=encode_record(record)).get(timeout=30)

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close()
