"""The contract with faust-streaming's internals: the installed version has everything faust_compat relies on.

`check_requirements` runs against a real faust App and its consumer, producer, flow control and a stream queue
(none of which needs a broker). When an upgrade of faust-streaming renames or removes one of those internals,
the first test fails with the missing attribute and the installed version; the stand-in tests show that each
requirement is one the check can fail on. The remaining tests pin the faust behaviour the delivery guard's unit
tests imitate (tests/unit/test_delivery.py), on the real consumer.
"""

from __future__ import annotations

import asyncio
import importlib
import re
from importlib import metadata
from types import SimpleNamespace
from typing import Any

import faust
import faust.streams
import pytest
from faust.types import TP, Message

from streams.kafka import faust_compat
from streams.kafka.faust_compat import REQUIREMENTS, FaustInternalsChanged, check_requirements, contract_subjects

TOPIC = "faust-compat-test"
TP0 = TP(TOPIC, 0)


class StandIn:
    """`wrapped` seen through a stand-in: the attribute `hidden` is missing, `replaced` ones answer otherwise."""

    def __init__(self, wrapped: Any, hidden: str | None = None, **replaced: Any) -> None:
        self._stand_in_wrapped, self._stand_in_hidden, self._stand_in_replaced = wrapped, hidden, replaced

    def __getattr__(self, name: str) -> Any:
        if name == self._stand_in_hidden:
            raise AttributeError(name)
        if name in self._stand_in_replaced:
            return self._stand_in_replaced[name]
        return getattr(self._stand_in_wrapped, name)


def without(subjects: dict[str, Any], owner: str, attribute: str, **replaced: Any) -> dict[str, Any]:
    """The subjects with the object at `owner` standing in without `attribute` (or with `replaced` values)."""
    head, *path = owner.split(".")
    root = subjects[head] if head in subjects else importlib.import_module(head)

    def stand_in(obj: Any, path: list[str]) -> StandIn:
        if not path:
            return StandIn(obj, hidden=attribute if not replaced else None, **replaced)
        return StandIn(obj, **{path[0]: stand_in(getattr(obj, path[0]), path[1:])})

    return {**subjects, head: stand_in(root, path)}


@pytest.fixture
def app() -> faust.App:
    app = faust.App("faust-compat-test", broker="kafka://127.0.0.1:1")
    app.topics.acking_topics.add(TOPIC)  # as the conductor does for a topic an agent consumes
    return app


def message(offset: int) -> Message:
    return Message(
        topic=TOPIC,
        partition=0,
        offset=offset,
        timestamp=0.0,
        timestamp_type=0,
        headers=[],
        key=b"k",
        value=b"v",
        checksum=None,
        tp=TP0,
    )


def test_the_installed_faust_streaming_has_every_internal_relied_on(app):
    check_requirements(contract_subjects(app))


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: f"{r.owner}.{r.attribute}")
def test_a_faust_streaming_without_an_internal_fails_the_check_naming_it_and_the_version(app, requirement):
    subjects = without(contract_subjects(app), requirement.owner, requirement.attribute)
    with pytest.raises(FaustInternalsChanged) as failure:
        check_requirements(subjects)
    text = str(failure.value)
    assert f"{requirement.owner}.{requirement.attribute}: missing" in text
    assert f"faust-streaming {metadata.version('faust-streaming')}" in text
    assert len(text.splitlines()) == 2  # only the hidden attribute is reported


def test_an_internal_of_another_kind_fails_the_check(app):
    subjects = without(contract_subjects(app), "app", "consumer", consumer=StandIn(app.consumer, _acked=[]))
    with pytest.raises(FaustInternalsChanged, match=re.escape("app.consumer._acked: a list, not a Mapping")):
        check_requirements(subjects)


def test_a_missing_owner_names_the_first_missing_step(app):
    subjects = without(contract_subjects(app), "app", "producer")
    unmet = faust_compat.unmet_requirements(subjects)
    assert unmet == ["app.producer: missing (used by install_drained_flush)"] * 2


def test_acks_and_commit_offsets_are_kept_where_faust_compat_reads_them(app):
    consumer = app.consumer
    faust_compat.set_committed_offset(consumer, TP0, 10)
    messages = [message(offset) for offset in (11, 12, 14)]
    for taken in messages:
        consumer.track_message(taken)
    assert len(faust_compat.unacked_messages(consumer)) == 3
    assert [consumer.ack(taken) for taken in messages] == [True, True, True]
    assert faust_compat.committed_offset(consumer, TP0) == 10
    assert faust_compat.acked_offsets(consumer, TP0) == [11, 12, 14]
    assert faust_compat.is_acked(consumer, TP0, 12) and not faust_compat.is_acked(consumer, TP0, 10)
    assert not faust_compat.unacked_messages(consumer)
    # faust commits one offset past the committed one (10 was never acked): the delivery guard refuses this
    assert consumer._new_offset(TP0) == 13
    assert faust_compat.acked_offsets(consumer, TP0) == [14] and not faust_compat.is_acked(consumer, TP0, 12)


def test_release_lets_a_message_go_without_filing_its_offset(app):
    consumer = app.consumer
    skipped = message(11)
    consumer.track_message(skipped)
    faust_compat.release_unacked(consumer, skipped)
    assert skipped.acked and not faust_compat.unacked_messages(consumer)
    assert not consumer.ack(skipped)  # a later ack of it files nothing
    assert not faust_compat.acked_offsets(consumer, TP0)


def test_hooks_wrap_the_real_consumers_ack_and_commit_offset(app):
    consumer, seen = app.consumer, []
    faust_ack = faust_compat.install_ack_hook(consumer, lambda ack, taken: seen.append(taken.offset) or ack(taken))
    faust_compat.install_new_offset_hook(consumer, lambda new_offset, tp: new_offset(tp) + 100)
    assert consumer.ack(message(0)) and seen == [0]
    assert consumer._new_offset(TP0) == 101
    assert faust_ack(message(1)) and seen == [0]  # faust's own, unwrapped


def test_replaced_read_offsets_are_the_consumers(app):
    offsets: dict = {}
    faust_compat.replace_read_offsets(app.consumer, offsets)
    assert faust_compat.read_offsets(app.consumer) is offsets


def test_the_consumer_hook_sees_the_consumer_the_app_uses():
    app = faust.App("faust-compat-test", broker="kafka://127.0.0.1:1")
    created: list = []
    faust_compat.install_consumer_hook(app, created.append)
    assert created == [app.consumer] and app.consumer is created[0]


def test_a_seek_hook_runs_after_the_seek():
    calls: list = []

    async def faust_seek(tp: TP, offset: int) -> None:
        calls.append(("seek", offset))

    consumer = SimpleNamespace(seek=faust_seek)
    faust_compat.install_seek_hook(consumer, lambda tp, offset: calls.append(("after", offset)))
    asyncio.run(consumer.seek(TP0, 7))
    assert calls == [("seek", 7), ("after", 7)]


def test_the_queued_messages_are_those_in_a_topic_stream_queue(app):
    queue = app.topic(TOPIC).queue
    waiting = message(3)
    queue.put_nowait(SimpleNamespace(message=waiting))
    assert faust_compat.queued_messages(app.flow_control) == [waiting]
    app.flow_control.resume()  # faust clears these queues as flow resumes
    assert faust_compat.queued_messages(app.flow_control) == []


class FakeEvent:
    """Weakly referable, as faust's events are."""


def test_the_current_event_scope_is_faust_current_event_for_table_writes():
    event, outer = FakeEvent(), faust.streams.current_event()
    with faust_compat.current_event_scope(event):
        assert faust.streams.current_event() is event
    assert faust.streams.current_event() is outer


def test_the_drained_flush_waits_for_an_empty_buffer_before_flushing():
    flushed_at: list = []
    buffer = SimpleNamespace(size=3)

    async def flush() -> None:
        flushed_at.append(buffer.size)

    producer = SimpleNamespace(buffer=buffer, flush=flush)
    faust_compat.install_drained_flush(producer)

    async def drain_and_flush() -> None:
        flushing = asyncio.ensure_future(producer.flush())
        for size in (2, 1, 0):
            await asyncio.sleep(0.01)
            assert not flushed_at
            buffer.size = size
        await flushing

    asyncio.run(drain_and_flush())
    assert flushed_at == [0]


def test_a_stop_signal_reaches_the_hook_first_then_faust(tmp_path):
    import signal

    calls: list = []
    loop = asyncio.new_event_loop()
    worker = SimpleNamespace(
        loop=loop, _on_sigterm=lambda: calls.append("faust TERM"), _on_sigint=lambda: calls.append("faust INT")
    )
    try:
        faust_compat.before_stop_signals(worker, lambda signum: calls.append(signal.Signals(signum).name))
        loop._signal_handlers[signal.SIGTERM]._run()
        loop._signal_handlers[signal.SIGINT]._run()
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        loop.remove_signal_handler(signal.SIGINT)
        loop.close()
    assert calls == ["SIGTERM", "faust TERM", "SIGINT", "faust INT"]


def rocksdb_table(app, tmp_path):
    from faust.stores import rocksdb

    app.conf.datadir = str(tmp_path)
    table = app.Table("stale-test")
    table._data = rocksdb.Store("rocksdb://", app, table)
    return table


def test_a_reset_table_partition_is_empty_and_forgets_its_offset(app, tmp_path):
    table = rocksdb_table(app, tmp_path)
    store, tp = table.data, TP("app-stale-test-changelog", 2)
    store._db_for_partition(2).put(b"key", b"value")
    store.set_persisted_offset(tp, 57)
    app.tables._pending_persisted_offsets[tp] = (store, 58)
    assert store.partition_path(2).exists() and store.persisted_offset(tp) == 57
    faust_compat.reset_table_partition(app, table, tp)
    assert not store.partition_path(2).exists()
    assert store.persisted_offset(tp) is None and store._db_for_partition(2).get(b"key") is None
    assert tp not in app.tables._pending_persisted_offsets


def test_stale_partitions_are_reset_before_faust_reads_where_recovery_starts(app, tmp_path):
    table = rocksdb_table(app, tmp_path)
    stale, fresh, empty = (TP("app-stale-test-changelog", p) for p in (0, 1, 2))
    for tp, offset in ((stale, 57), (fresh, 3)):
        table.data.set_persisted_offset(tp, offset)
    recovery = app.tables.recovery
    recovery.tp_to_table.update({tp: table for tp in (stale, fresh, empty)})
    seen_by_faust: dict = {}

    async def faust_build_offsets(consumer, tps, destination, title):
        seen_by_faust.update(destination)

    async def highwaters(*tps):
        return {stale: 0, fresh: 10, empty: 0}  # the stale one's changelog was wiped: empty

    recovery._build_offsets = faust_build_offsets
    reported: list = []
    faust_compat.install_stale_table_reset(app, lambda tp, persisted, last: reported.append((tp, persisted, last)))
    destination = {stale: 57, fresh: 3, empty: None}
    asyncio.run(
        recovery._build_offsets(SimpleNamespace(highwaters=highwaters), set(destination), destination, "active")
    )
    assert reported == [(stale, 57, -1)]
    assert seen_by_faust == {stale: None, fresh: 3, empty: None}
    assert table.data.persisted_offset(stale) is None and table.data.persisted_offset(fresh) == 3
