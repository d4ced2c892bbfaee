"""At-least-once delivery over faust-streaming's offset bookkeeping, which can commit or drop unprocessed messages.

faust decides what to commit from the offsets its streams ack, and three of its behaviours break that promise
(all seen in this project's SIGTERM and rebalance tests, where articles went missing):

* A stream acks a message it *skipped* without processing: one read while flow control is suspended (shutdown,
  rebalance) or one from an older consumer generation. The offset then counts as done.
* The fetch loop drops a re-fetched message whose offset is below the partition's "read offset", and takes an
  offset jump as a gap to be filled at commit time. After a rebalance, messages fetched between "resume
  partitions" and "seek to committed" move the read offset forward; the seek refetches them, the queue
  holding the originals is cleared when flow resumes, and the refetched copies are dropped as already read
  (faust-streaming #216, #221). With the gap filled the commit jumps over them.
* A commit may start one offset past the last committed one (`min(acked) - committed > 1` lets one message
  through), and once acked offsets are taken for a commit that then fails they are never offered again, so the
  partition stops committing while the lag grows (#318, #611).

`DeliveryGuard` closes these for the topics the worker consumes: an ack counts only for a message an agent
marked `finish`ed; the fetch loop delivers every message it fetches unless that offset is done or its earlier
copy is still queued or being processed (faust seeks every partition to its committed offset as it resumes flow
after an assignment, and what was fetched just before comes again: processing both copies doubled up to a
fetch's worth of articles a partition after a worker start); these topics are written without transactions or
compaction, so an offset jump is never a real gap; a commit never starts beyond the committed offset; and a
partition whose acked offsets wait behind a hole that nothing is processing is sought back to its committed
offset, so the hole is delivered again instead of stalling or being lost.
"""

from __future__ import annotations

import logging
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, cast

import faust
from faust.types import TP

from streams import metrics
from streams.kafka import faust_compat
from streams.kafka.faust_compat import Ack, Callback, FaustConsumer, FaustMessage, NewOffset

log = logging.getLogger(__name__)


class DeliverEverything(defaultdict):
    """faust's per-partition read offsets, made invisible to its fetch loop so that nothing fetched is dropped.

    The fetch loop compares each message with `read_offsets[tp]` (drop if below, "gap" if above); reading None
    there makes it deliver the message and record no gap. Seeks and revocations still write and clear entries.
    Two offsets per partition are kept from what the fetch loop writes: the lowest since the partition was
    assigned (where the group has no committed offset yet, processing started there) and the highest since the
    last seek (everything up to it left the fetcher, so none of it may silently go missing). The guard keeps two
    more since the partition was assigned: `handed`, the highest offset handed to the streams (a message at or
    below it may be a copy fetched again), and `done_below`, the highest offset taken for a commit (faust takes
    the acked offsets below it out of its books before the broker confirms the commit).
    """

    def __init__(self) -> None:
        super().__init__(lambda: None)
        self.first_read: dict[TP, int] = {}
        self.last_fetched: dict[TP, int] = {}
        self.handed: dict[TP, int] = {}
        self.done_below: dict[TP, int] = {}

    def __getitem__(self, tp: TP) -> None:
        return None

    def __setitem__(self, tp: TP, offset: int | None) -> None:
        super().__setitem__(tp, offset)
        if offset is not None:
            self.first_read[tp] = min(offset, self.first_read.get(tp, offset))
            self.last_fetched[tp] = max(offset, self.last_fetched.get(tp, offset))

    def pop(self, tp: TP, *default):
        self.first_read.pop(tp, None)
        self.last_fetched.pop(tp, None)
        self.handed.pop(tp, None)
        self.done_below.pop(tp, None)
        return super().pop(tp, *default)


def delivered_offsets(consumer: FaustConsumer) -> DeliverEverything:
    """The read offsets `DeliveryGuard.install` gave the consumer."""
    return cast(DeliverEverything, faust_compat.read_offsets(consumer))


class DeliveryGuard:
    """Commit only what an agent finished, on `topics`; re-deliver partitions stuck behind an unprocessed hole."""

    def __init__(self, topics: Iterable[str]) -> None:
        self.topics = frozenset(topics)
        self._finished: weakref.WeakSet = weakref.WeakSet()
        self._deferred: set = set()
        self._acks_due: set = set()
        self._faust_ack: Any = None
        self._consumer: Any = None
        self._suspected: dict[TP, int] = {}
        self.corrections: Counter[str] = Counter()

    def _correct(self, kind: str) -> None:
        self.corrections[kind] += 1
        metrics.DELIVERY_CORRECTIONS.labels(kind=kind).inc()

    def finish(self, events: Iterable[faust.EventT]) -> None:
        """Mark events as processed and their results queued for sending: only these acks may be committed."""
        for event in events:
            message = event.message
            self._finished.add(message)
            self._deferred.discard(message)
            if message in self._acks_due:
                self._acks_due.discard(message)
                self._faust_ack(message)

    def defer(self, events: Iterable[faust.EventT]) -> None:
        """Events still being processed after their stream acks them: hold each ack until `finish`.

        Held messages stay among faust's unacked ones, so a shutdown waits for them.
        """
        self._deferred.update(event.message for event in events)

    @staticmethod
    def start_offset(consumer: FaustConsumer, tp: TP) -> int | None:
        """The first offset of `tp` not yet committed: the committed offset, else where reading started."""
        committed = faust_compat.committed_offset(consumer, tp)
        return committed if committed is not None else delivered_offsets(consumer).first_read.get(tp)

    def abandon(self, events: Iterable[faust.EventT]) -> None:
        """Deferred events whose processing failed: let their acks go uncounted, so they are fetched again."""
        for event in events:
            message = event.message
            self._deferred.discard(message)
            if message in self._acks_due:
                self._acks_due.discard(message)
                self._release(message)

    def _release(self, message: FaustMessage) -> None:
        """Let go of a message that was not processed without counting its offset as done."""
        faust_compat.release_unacked(self._consumer, message)
        self._correct("released")

    @staticmethod
    def _done_or_in_hand(consumer: FaustConsumer, tp: TP, offset: int) -> bool:
        """Whether the message at `offset` was processed (below the committed offset or one taken for a commit, or
        acked since) or is queued or in processing."""
        committed = faust_compat.committed_offset(consumer, tp) or 0
        if offset < max(committed, delivered_offsets(consumer).done_below.get(tp, 0)):
            return True
        if faust_compat.is_acked(consumer, tp, offset):
            return True
        return any(message.offset == offset and message.tp == tp for message in messages_in_hand(consumer))

    def install(self, consumer: FaustConsumer) -> None:
        """Wrap a freshly created faust consumer (before its fetcher starts)."""
        faust_compat.replace_read_offsets(consumer, DeliverEverything())
        self._faust_ack = faust_compat.install_ack_hook(consumer, self._ack)
        self._consumer = consumer
        faust_compat.install_fetch_hook(consumer, partial(self._deliver_fetched, consumer))
        faust_compat.install_new_offset_hook(consumer, partial(self._new_offset, consumer))
        faust_compat.install_seek_hook(consumer, partial(self._after_seek, consumer))

    async def _deliver_fetched(self, consumer: FaustConsumer, faust_callback: Callback, message: FaustMessage) -> None:
        """Hand a fetched message to the streams, unless it is a copy of one that is done or in hand.

        Only a message at or below the partition's highest handed offset can be a copy; the check for those
        looks at the actual queues and in-flight messages, because faust can lose its copy (a queue cleared
        as flow resumes) without a trace.
        """
        tp, offset = message.tp, message.offset
        if tp.topic in self.topics:
            handed = delivered_offsets(consumer).handed
            if offset <= handed.get(tp, -1) and self._done_or_in_hand(consumer, tp, offset):
                self._correct("copy_dropped")
                return
            handed[tp] = max(offset, handed.get(tp, offset))
        await faust_callback(message)

    def _ack(self, faust_ack: Ack, message: FaustMessage) -> bool:
        """Hold the ack of a deferred message; release one faust skipped without processing; file the others."""
        if message in self._deferred:
            self._acks_due.add(message)
            return False
        if message.topic in self.topics and message not in self._finished:
            self._release(message)  # skipped by faust, never processed
            return False
        return faust_ack(message)

    def _new_offset(self, consumer: FaustConsumer, faust_new_offset: NewOffset, tp: TP) -> int | None:
        """faust's next offset to commit, unless the message at the partition's start is not done."""
        acked = faust_compat.acked_offsets(consumer, tp)
        if tp.topic in self.topics and acked:
            start = self.start_offset(consumer, tp)
            if start is None or min(acked) > start:
                return None  # the message at `start` is not done: nothing past it may be committed
        offset = faust_new_offset(tp)
        if offset is not None:  # everything below is done, though not committed until the broker answers
            done_below = delivered_offsets(consumer).done_below
            done_below[tp] = max(offset, done_below.get(tp, offset))
        return offset

    @staticmethod
    def _after_seek(consumer: FaustConsumer, tp: TP, offset: int) -> None:
        delivered_offsets(consumer).last_fetched.pop(tp, None)  # fetching starts again from `offset`

    def stalled(self, consumer: FaustConsumer) -> Iterator[tuple[TP, int]]:
        """Partitions whose first unfinished offset was fetched but is neither queued, being processed nor done.

        That offset was dropped on the way (a skipped message, or a queue cleared by faust when flow resumed);
        with later offsets acked the partition stops committing, and at the end of the data nothing would ever
        bring it back. A message can wait in a stream's queue for longer than a check's interval while the agent
        is busy. Reported only when seen on two consecutive calls at the same offset, so a message between the
        fetch loop and the queue is not mistaken for a hole.
        """
        in_flight: dict[TP, int] = {}
        for message in messages_in_hand(consumer):
            in_flight[message.tp] = min(message.offset, in_flight.get(message.tp, message.offset))
        suspected: dict[TP, int] = {}
        for tp in consumer.assignment():
            start = self.start_offset(consumer, tp)
            if tp.topic not in self.topics or start is None:
                continue
            acked = faust_compat.acked_offsets(consumer, tp) or ()
            fetched = delivered_offsets(consumer).last_fetched.get(tp, -1)
            first_seen = min(min(acked, default=fetched + 1), in_flight.get(tp, fetched + 1))
            if (fetched >= start or acked) and first_seen > start:
                suspected[tp] = start
                if self._suspected.get(tp) == start:
                    yield tp, start
        self._suspected = suspected

    async def redeliver_stalled(self, app: faust.App) -> None:
        """Seek every stalled partition back to its first unfinished offset, so its messages come again.

        Where retention has already deleted that offset, the records before the log start are gone for
        everyone: the partition's start moves to the log start instead (as Kafka's own offset reset would).
        """
        consumer = app.consumer
        if app.rebalancing or not app.flow_control.is_active():
            self._suspected = {}
            return
        for tp, start in list(self.stalled(consumer)):
            self._suspected.pop(tp, None)
            try:
                log_start = (await consumer.earliest_offsets(tp)).get(tp)
            except Exception as exc:  # the broker is unreachable (an outage): look again on a later check
                log.info("%s[%d]: stall check postponed: %r", tp.topic, tp.partition, exc)
                continue
            if log_start is not None and log_start > start:
                log.warning(
                    "%s[%d]: offsets %d-%d were deleted by retention; continuing from %d",
                    tp.topic,
                    tp.partition,
                    start,
                    log_start - 1,
                    log_start,
                )
                faust_compat.set_committed_offset(consumer, tp, log_start)
                continue
            log.warning(
                "%s[%d]: offset %d was fetched but is neither done nor being processed; fetching it again",
                tp.topic,
                tp.partition,
                start,
            )
            self._correct("redelivered")
            await consumer.seek(tp, start)


def messages_in_hand(consumer: FaustConsumer) -> list:
    """Messages the streams hold and have not finished: waiting in a queue, or taken and not yet acked."""
    return [*faust_compat.unacked_messages(consumer), *faust_compat.queued_messages(consumer.app.flow_control)]


def guard_delivery(app: faust.App, topics: Iterable[str], check_every_seconds: float) -> DeliveryGuard:
    """Install a `DeliveryGuard` on the app's consumer when faust creates it, and its stall check as a timer."""
    guard = DeliveryGuard(topics)
    faust_compat.install_consumer_hook(app, guard.install)

    @app.timer(check_every_seconds, name="redeliver_stalled_partitions")
    async def redeliver_stalled_partitions() -> None:
        await guard.redeliver_stalled(app)

    return guard
