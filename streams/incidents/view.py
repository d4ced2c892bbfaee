"""The live incidents of the whole stream, read from the compacted `incidents` topic, and the query behind
`/api/incidents`.

Each worker's incident table holds only its partitions' regions, so the API answers from the topic instead: a
consumer without a group reads every partition of `incidents` from the start and keeps the last value per key
(dropping tombstones and `merged_into` records). Every worker thus answers for the whole stream, whichever
partitions it owns, a few hundred milliseconds behind the matcher.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import orjson

log = logging.getLogger(__name__)


class LiveIncidents:
    """Last value per incident id; tombstones and merged records drop the id. Thread-safe."""

    def __init__(self) -> None:
        self._incidents: dict[str, dict] = {}
        self._lock = threading.Lock()

    def apply(self, key: str, record: dict | None) -> None:
        with self._lock:
            if record is None or record.get("merged_into"):
                self._incidents.pop(key, None)
            else:
                self._incidents[key] = record

    def records(self) -> list[dict]:
        """Every live incident, in no particular order (a copy of the list; the records are not to be changed)."""
        with self._lock:
            return list(self._incidents.values())

    def query(
        self,
        country: str | None = None,
        admin1: str | None = None,
        day_from: str | None = None,
        day_to: str | None = None,
        limit: int = 100,
        with_toll: bool = True,
    ) -> list[dict]:
        """Incidents of a country / admin1 (name or code) with an incident day in [from, to], newest first."""
        with self._lock:
            records = list(self._incidents.values())
        chosen = [
            r
            for r in records
            if _matches(r, country, admin1, day_from, day_to)
            and (not with_toll or r["killed"]["min"] or r["injured"]["min"])
        ]
        chosen.sort(key=lambda r: (r.get("day") or "", r["id"]), reverse=True)
        return chosen[: max(0, limit)]

    def totals(self, **filters: Any) -> dict[str, int]:
        """Summed killed.min and injured.min of the incidents the filters select, and their number."""
        chosen = self.query(limit=10**9, **filters)
        return {
            "incidents": len(chosen),
            "killed": sum(r["killed"]["min"] for r in chosen),
            "injured": sum(r["injured"]["min"] for r in chosen),
        }


def _matches(record: dict, country: str | None, admin1: str | None, day_from: str | None, day_to: str | None) -> bool:
    place = record.get("place") or {}
    if country and (place.get("country") or record["region"].split("/")[0]) != country:
        return False
    if admin1:
        region = place.get("admin1") or {}
        if admin1.lower() not in {str(v).lower() for v in (region.get("name"), region.get("code")) if v}:
            return False
    day = record.get("day") or ""
    return not (day_from and day < day_from) and not (day_to and day > day_to)


def follow_incidents(consumer: Any, view: LiveIncidents, stop: threading.Event, poll_ms: int = 500) -> None:
    """Feed `view` from a consumer of the `incidents` topic (no group: every partition) until `stop` is set."""
    while not stop.is_set():
        for messages in consumer.poll(timeout_ms=poll_ms).values():
            for message in messages:
                key = message.key.decode() if isinstance(message.key, bytes) else str(message.key)
                try:
                    view.apply(key, None if message.value is None else orjson.loads(message.value))
                except orjson.JSONDecodeError:
                    log.warning("undecodable incident record %s@%d", key, message.offset)


class IncidentFollower:
    """A daemon thread keeping a `LiveIncidents` view of the whole `incidents` topic, started with the worker.

    The consumer has no group (it reads every partition from the start), so each worker's `/api/incidents`
    answers for the whole stream whichever partitions the worker owns.
    """

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.view = LiveIncidents()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.running:
            self._thread = threading.Thread(target=self._run, name="incidents-view", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from streams.kafka.clients import raw_consumer

        consumer = raw_consumer(self.settings, self.settings.topics.incidents.name, group_id=None)
        try:
            follow_incidents(consumer, self.view, self._stop)
        except Exception:  # the view goes stale; the API says so through `running`
            log.exception("the incidents view stopped following the topic")
        finally:
            consumer.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
