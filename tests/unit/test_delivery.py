"""The delivery guard over faust's offset bookkeeping, on a faust-shaped consumer without a broker.

The consumer below keeps the same attributes and the same `ack` / `_new_offset` rules as faust's base
Consumer (acked offsets per partition, committed offsets, committed only up to the first hole), so the guard's
wrapping is exercised as the worker uses it; the real interplay is in tests/integration/test_faults.py.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from faust.types import TP

from streams.delivery import DeliverEverything, DeliveryGuard

RAW = TP("articles.raw", 0)
OTHER = TP("unguarded", 0)


@dataclass(eq=False)
class FakeMessage:
    tp: TP
    offset: int
    acked: bool = False

    @property
    def topic(self) -> str:
        return self.tp.topic


@dataclass(eq=False)
class FakeEvent:
    message: FakeMessage


@dataclass
class FakeConsumer:
    """faust's Consumer bookkeeping: `ack` files the offset, `_new_offset` takes the consecutive run."""

    assigned: set = field(default_factory=lambda: {RAW, OTHER})
    _acked: dict = field(default_factory=lambda: defaultdict(list))
    _committed_offset: dict = field(default_factory=lambda: defaultdict(lambda: None))
    _unacked_messages: set = field(default_factory=set)
    _read_offset: dict = field(default_factory=lambda: defaultdict(lambda: None))
    seeks: list = field(default_factory=list)
    log_start: int = 0

    def assignment(self) -> set:
        return self.assigned

    def ack(self, message: FakeMessage) -> bool:
        message.acked = True
        self._unacked_messages.discard(message)
        self._acked[message.tp].append(message.offset)
        return True

    def _new_offset(self, tp: TP):
        acked = sorted(self._acked[tp])
        if not acked:
            return None
        run = [acked[0]]
        for offset in acked[1:]:
            if offset != run[-1] + 1:
                break
            run.append(offset)
        self._acked[tp] = acked[len(run):]
        return run[-1] + 1

    async def earliest_offsets(self, *tps: TP) -> dict:
        return {tp: self.log_start for tp in tps}

    async def seek(self, tp: TP, offset: int) -> None:
        self.seeks.append((tp, offset))
        self._read_offset[tp] = offset  # as faust's seek does


@pytest.fixture
def guarded():
    guard, consumer = DeliveryGuard({RAW.topic}), FakeConsumer()
    guard.install(consumer)
    return guard, consumer


def deliver(consumer: FakeConsumer, tp: TP, offset: int) -> FakeMessage:
    """What faust's fetch loop and stream do before an agent sees a message."""
    consumer._read_offset[tp] = offset
    message = FakeMessage(tp, offset)
    consumer._unacked_messages.add(message)
    return message


def finish_and_ack(guard: DeliveryGuard, consumer: FakeConsumer, offset: int) -> FakeMessage:
    """A message of RAW that an agent processed: marked finished, then acked by its stream."""
    message = deliver(consumer, RAW, offset)
    guard.finish([FakeEvent(message)])
    consumer.ack(message)
    return message


def running_app(consumer: FakeConsumer):
    """The three things the stall check reads from the faust app: not rebalancing, flow active."""
    flow = type("Flow", (), {"is_active": lambda self: True})()
    return type("App", (), {"consumer": consumer, "rebalancing": False, "flow_control": flow})()


def test_fetch_loop_sees_no_read_offset_so_it_never_drops_or_invents_a_gap(guarded):
    _, consumer = guarded
    assert isinstance(consumer._read_offset, DeliverEverything)
    consumer._read_offset[RAW] = 65
    consumer._read_offset[RAW] = 56
    assert consumer._read_offset[RAW] is None
    assert consumer._read_offset.first_read[RAW] == 56
    consumer._read_offset.pop(RAW, None)
    assert RAW not in consumer._read_offset.first_read


def test_only_finished_messages_count_as_done(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 10
    done, skipped = deliver(consumer, RAW, 10), deliver(consumer, RAW, 11)
    guard.finish([FakeEvent(done)])
    assert consumer.ack(done) is True
    assert consumer.ack(skipped) is False
    assert skipped.acked and skipped not in consumer._unacked_messages  # let go: shutdown does not wait for it
    assert consumer._acked[RAW] == [10]
    assert guard.released == 1


def test_unguarded_topics_keep_faust_behaviour(guarded):
    _, consumer = guarded
    assert consumer.ack(deliver(consumer, OTHER, 3)) is True


def test_a_commit_never_starts_past_an_unfinished_offset(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 10
    for offset in (11, 12):
        finish_and_ack(guard, consumer, offset)
    assert consumer._new_offset(RAW) is None  # faust alone would commit 13, skipping offset 10
    finish_and_ack(guard, consumer, 10)
    assert consumer._new_offset(RAW) == 13


def test_without_a_committed_offset_the_first_read_offset_is_the_start(guarded):
    guard, consumer = guarded
    deliver(consumer, RAW, 0)
    finish_and_ack(guard, consumer, 1)
    assert consumer._new_offset(RAW) is None


def test_a_hole_nobody_processes_is_fetched_again_after_two_checks(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._committed_offset[RAW] = 10
    lost = deliver(consumer, RAW, 10)
    consumer.ack(lost)  # skipped by faust: released, offset 10 stays undone
    finish_and_ack(guard, consumer, 11)
    asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == []  # once could be a message still on its way
    asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == [(RAW, 10)]
    assert guard.redelivered == 1


def assert_never_redelivered(guard, app, consumer, checks: int = 3) -> None:
    for _ in range(checks):
        asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == []


def test_a_message_still_being_processed_is_not_a_hole(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._committed_offset[RAW] = 10
    deliver(consumer, RAW, 10)  # in the agent's batch, not acked yet
    finish_and_ack(guard, consumer, 11)
    assert_never_redelivered(guard, app, consumer)


def test_a_hole_deleted_by_retention_moves_the_start_to_the_log_start(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._committed_offset[RAW] = 10
    consumer.log_start = 40
    finish_and_ack(guard, consumer, 40)
    asyncio.run(guard.redeliver_stalled(app))
    asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == []
    assert consumer._new_offset(RAW) == 41


def test_a_deferred_message_is_acked_when_it_finishes_not_before(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 10
    slow, quick = deliver(consumer, RAW, 10), deliver(consumer, RAW, 11)
    guard.defer([FakeEvent(slow)])
    guard.finish([FakeEvent(quick)])
    assert consumer.ack(slow) is False and consumer.ack(quick) is True
    assert not slow.acked and slow in consumer._unacked_messages  # a shutdown waits for it
    assert consumer._new_offset(RAW) is None
    guard.finish([FakeEvent(slow)])
    assert slow.acked
    assert consumer._new_offset(RAW) == 12


def test_an_abandoned_deferred_message_is_released_for_redelivery(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 10
    failed = deliver(consumer, RAW, 10)
    guard.defer([FakeEvent(failed)])
    consumer.ack(failed)
    guard.abandon([FakeEvent(failed)])
    assert failed.acked and failed not in consumer._unacked_messages
    assert consumer._acked[RAW] == [] and guard.released == 1


def test_an_unreachable_broker_postpones_the_stall_check_instead_of_crashing(guarded):
    guard, consumer = guarded
    app = running_app(consumer)

    async def broker_down(*tps):
        raise TimeoutError("Failed to get offsets by times in 40000 ms")

    consumer.earliest_offsets = broker_down
    consumer._committed_offset[RAW] = 10
    finish_and_ack(guard, consumer, 11)
    assert_never_redelivered(guard, app, consumer)


def test_a_dropped_tail_with_nothing_after_it_is_fetched_again(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._committed_offset[RAW] = 284
    for offset in range(284, 332):
        consumer._read_offset[RAW] = offset  # left the fetcher, then cleared from faust's queue: no trace
    asyncio.run(guard.redeliver_stalled(app))
    asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == [(RAW, 284)]
    assert RAW not in consumer._read_offset.last_fetched  # fetching starts again from there


def test_a_partition_read_to_its_end_and_committed_is_not_a_hole(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._read_offset[RAW] = 310
    consumer._committed_offset[RAW] = 311
    for _ in range(3):
        asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == []
