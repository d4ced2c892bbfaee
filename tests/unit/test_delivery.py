"""The delivery guard over faust's offset bookkeeping, on a faust-shaped consumer without a broker.

The consumer below keeps the same attributes and the same `ack` / `_new_offset` rules as faust's base
Consumer (acked offsets per partition, committed offsets, committed only up to the first hole), so the guard's
wrapping is exercised as the worker uses it; the real interplay is in tests/integration/test_faults.py.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from dataclasses import dataclass, field
from types import SimpleNamespace

import faust
import pytest
from faust.types import TP

from streams.kafka.delivery import DeliverEverything, DeliveryGuard
from streams.kafka.faust_compat import queued_messages

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
    """faust's Consumer bookkeeping: `ack` files the offset, `_new_offset` takes the consecutive run; `callback`
    puts a fetched message into the one stream queue, `queue`, managed by the app's flow control."""

    assigned: set = field(default_factory=lambda: {RAW, OTHER})
    _acked: dict = field(default_factory=lambda: defaultdict(list))
    _acked_index: dict = field(default_factory=lambda: defaultdict(set))
    _committed_offset: dict = field(default_factory=lambda: defaultdict(lambda: None))
    _unacked_messages: set = field(default_factory=set)
    _read_offset: dict = field(default_factory=lambda: defaultdict(lambda: None))
    queue: deque = field(default_factory=deque)
    seeks: list = field(default_factory=list)
    log_start: int = 0

    def __post_init__(self) -> None:
        flow_control = SimpleNamespace(_queues=[SimpleNamespace(_queue=self.queue)], is_active=lambda: True)
        self.app = SimpleNamespace(consumer=self, rebalancing=False, flow_control=flow_control)

    async def callback(self, message: FakeMessage) -> None:
        self.queue.append(FakeEvent(message))

    def assignment(self) -> set:
        return self.assigned

    def ack(self, message: FakeMessage) -> bool:
        message.acked = True
        self._unacked_messages.discard(message)
        self._acked[message.tp].append(message.offset)
        self._acked_index[message.tp].add(message.offset)
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
        self._acked[tp] = acked[len(run) :]
        self._acked_index[tp].difference_update(run)
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
    """What the stall check reads from the faust app: its consumer, not rebalancing, flow active, the queues."""
    return consumer.app


def fetch(consumer: FakeConsumer, tp: TP, offset: int) -> bool:
    """What faust's fetch loop does with a fetched record; whether it reached the stream queue."""
    queued_before = len(consumer.queue)
    asyncio.run(consumer.callback(FakeMessage(tp, offset)))
    consumer._read_offset[tp] = offset
    return len(consumer.queue) > queued_before


def take(consumer: FakeConsumer, count: int) -> list[FakeMessage]:
    """A stream takes the first `count` queued messages into its batch (faust tracks them as unacked)."""
    taken = [consumer.queue.popleft().message for _ in range(count)]
    consumer._unacked_messages.update(taken)
    return taken


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
    assert guard.corrections["released"] == 1


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
    assert guard.corrections["redelivered"] == 1


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
    assert consumer._acked[RAW] == [] and guard.corrections["released"] == 1


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


def test_a_message_waiting_in_a_stream_queue_is_not_a_hole(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 10
    for offset in range(10, 13):
        fetch(consumer, RAW, offset)  # queued behind other partitions' messages while the agent is busy
    assert_never_redelivered(guard, running_app(consumer), consumer)


def test_a_copy_fetched_again_by_a_seek_is_dropped_while_the_original_is_queued(guarded):
    guard, consumer = guarded
    assert all(fetch(consumer, RAW, offset) for offset in range(32, 40))
    asyncio.run(consumer.seek(RAW, 32))  # faust seeks to the committed offset as it resumes flow
    assert not any(fetch(consumer, RAW, offset) for offset in range(32, 40))
    assert fetch(consumer, RAW, 40)
    assert guard.corrections["copy_dropped"] == 8
    assert fetch(consumer, OTHER, 1) and fetch(consumer, OTHER, 1)  # other topics keep faust's own rules


def test_copies_of_messages_cleared_from_the_queue_are_delivered_not_those_a_stream_took(guarded):
    _, consumer = guarded
    for offset in range(32, 40):
        fetch(consumer, RAW, offset)
    take(consumer, 4)  # 32-35 in an agent's batch
    consumer.queue.clear()  # faust clears its queues as flow resumes: 36-39 lost
    asyncio.run(consumer.seek(RAW, 32))
    assert [fetch(consumer, RAW, offset) for offset in range(32, 40)] == [False] * 4 + [True] * 4


def test_lost_offsets_fetched_again_after_later_ones_are_still_delivered(guarded):
    _, consumer = guarded
    for offset in range(63, 91):
        fetch(consumer, RAW, offset)
    consumer.queue.clear()
    assert all(fetch(consumer, RAW, offset) for offset in range(91, 144))  # fetched before the seek took effect
    assert all(fetch(consumer, RAW, offset) for offset in range(63, 91))
    assert not any(fetch(consumer, RAW, offset) for offset in range(91, 144))


def test_copies_of_processed_and_skipped_messages(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 30
    for offset in range(30, 36):
        fetch(consumer, RAW, offset)
    batch = take(consumer, 6)
    guard.finish([FakeEvent(message) for message in batch[:4]])
    for message in batch:
        consumer.ack(message)  # 30-33 done; 34 and 35 skipped by their stream (released)
    asyncio.run(consumer.seek(RAW, 28))
    assert [fetch(consumer, RAW, offset) for offset in range(28, 36)] == [False] * 6 + [True] * 2
    assert consumer._new_offset(RAW) == 34


def test_offsets_taken_for_a_commit_count_as_done_before_the_broker_confirms(guarded):
    guard, consumer = guarded
    consumer._committed_offset[RAW] = 30
    for offset in range(30, 34):
        fetch(consumer, RAW, offset)
    for message in take(consumer, 4):
        guard.finish([FakeEvent(message)])
        consumer.ack(message)
    assert consumer._new_offset(RAW) == 34  # faust takes 30-33 out of its books, then awaits the broker
    assert not any(fetch(consumer, RAW, offset) for offset in range(30, 34))


def test_a_revoked_partition_forgets_what_it_handed(guarded):
    _, consumer = guarded
    fetch(consumer, RAW, 32)
    consumer._read_offset.pop(RAW, None)  # the queued copy belongs to an old generation: faust will skip it
    assert fetch(consumer, RAW, 32)


def test_a_stalled_partition_sought_back_gets_what_was_lost_not_what_was_done(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._committed_offset[RAW] = 10
    for offset in range(10, 16):
        fetch(consumer, RAW, offset)
    consumer.queue.popleft(), consumer.queue.popleft()  # 10 and 11 lost from faust's queue without a trace
    for message in take(consumer, 4):
        guard.finish([FakeEvent(message)])
        consumer.ack(message)
    asyncio.run(guard.redeliver_stalled(app))
    asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == [(RAW, 10)]
    assert [fetch(consumer, RAW, offset) for offset in range(10, 17)] == [True] * 2 + [False] * 4 + [True]


def test_the_queues_read_are_faust_flow_controlled_stream_queues():
    app = faust.App("delivery-unit-test", broker="kafka://127.0.0.1:1")
    queue = app.FlowControlQueue(maxsize=10, clear_on_resume=True)
    waiting = FakeMessage(RAW, 7)
    queue.put_nowait(FakeEvent(waiting))
    assert queued_messages(app.flow_control) == [waiting]
    app.flow_control.resume()  # faust clears these queues as flow resumes
    assert queued_messages(app.flow_control) == []


def test_a_partition_read_to_its_end_and_committed_is_not_a_hole(guarded):
    guard, consumer = guarded
    app = running_app(consumer)
    consumer._read_offset[RAW] = 310
    consumer._committed_offset[RAW] = 311
    for _ in range(3):
        asyncio.run(guard.redeliver_stalled(app))
    assert consumer.seeks == []
