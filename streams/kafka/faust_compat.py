"""The one door to faust-streaming's internals: every private attribute or method the worker reads or replaces.

faust-streaming offers no public hooks for what at-least-once delivery needs (which offsets were acked,
committed or read; what waits in the stream queues; a flush that drains the producer buffer; a table write
under a chosen event), for rebuilding table state that is newer than its changelog, or for acting on a stop
signal before faust's own handler, so the worker reaches into its consumer, producer, flow control, tables,
streams module and worker.
Each such use is one small function here, and `REQUIREMENTS` lists as data every attribute those functions rely
on, so that `check_requirements` (run by tests/unit/test_faust_compat.py against the installed faust-streaming)
names what a faust-streaming upgrade took away before a worker loses or duplicates messages because of it.

The objects are typed `Any`: the attributes used here are outside faust's typed interfaces.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import importlib
import shutil
import signal
import weakref
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, MutableMapping, MutableSet
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import Any

from faust import streams as faust_streams
from faust.types import TP

FaustApp = Any  # faust.App
FaustConsumer = Any  # faust.transport.consumer.Consumer (the aiokafka driver's subclass in the worker)
FaustProducer = Any  # faust.transport.producer.Producer
FaustMessage = Any  # faust.types.Message
FlowControl = Any  # mode.utils.queues.FlowControlEvent, the app's `flow_control`

Ack = Callable[[FaustMessage], bool]
NewOffset = Callable[[TP], "int | None"]
Callback = Callable[[FaustMessage], Awaitable[None]]


@dataclass(frozen=True)
class Requirement:
    """An attribute this module relies on: `owner` is a dotted path that starts with the name of a subject given
    to `check_requirements` (for example "app.consumer" on a built faust App) or else names a module."""

    owner: str
    attribute: str
    kind: Any  # what the attribute must be an instance of (a class or an abstract base class)
    used_by: str


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("app", "_new_consumer", Callable, "install_consumer_hook"),
    Requirement("app.consumer", "callback", Callable, "install_fetch_hook"),
    Requirement("app.consumer", "ack", Callable, "install_ack_hook"),
    Requirement("app.consumer", "_new_offset", Callable, "install_new_offset_hook"),
    Requirement("app.consumer", "seek", Callable, "install_seek_hook"),
    Requirement("app.consumer", "_read_offset", MutableMapping, "read_offsets, replace_read_offsets"),
    Requirement("app.consumer", "_committed_offset", MutableMapping, "committed_offset, set_committed_offset"),
    Requirement("app.consumer", "_acked", Mapping, "acked_offsets"),
    Requirement("app.consumer", "_acked_index", Mapping, "is_acked"),
    Requirement("app.consumer", "_unacked_messages", MutableSet, "unacked_messages, release_unacked"),
    Requirement("app.flow_control", "_queues", Collection, "queued_messages"),
    Requirement("stream_queue", "_queue", Collection, "queued_messages"),
    Requirement("app.producer", "flush", Callable, "install_drained_flush"),
    Requirement("app.producer.buffer", "size", int, "install_drained_flush"),
    Requirement("faust.streams", "_current_event", contextvars.ContextVar, "current_event_scope"),
    Requirement("app.consumer", "highwaters", Callable, "install_stale_table_reset"),
    Requirement("app.tables.recovery", "_build_offsets", Callable, "install_stale_table_reset"),
    Requirement("app.tables.recovery", "tp_to_table", Mapping, "install_stale_table_reset"),
    Requirement("app.tables", "_pending_persisted_offsets", MutableMapping, "reset_table_partition"),
    Requirement("rocksdb_store", "_dbs", MutableMapping, "reset_table_partition"),
    Requirement("rocksdb_store", "_key_index", MutableMapping, "reset_table_partition"),
    Requirement("rocksdb_store", "partition_path", Callable, "reset_table_partition"),
    Requirement("mode.worker.Worker", "_on_sigterm", Callable, "before_stop_signals"),
    Requirement("mode.worker.Worker", "_on_sigint", Callable, "before_stop_signals"),
)


class FaustInternalsChanged(RuntimeError):
    """The installed faust-streaming lacks an internal this module relies on."""


# ---- the consumer's offset bookkeeping -------------------------------------------------------------------------


def read_offsets(consumer: FaustConsumer) -> Any:
    """The consumer's per-partition read offsets, which its fetch loop compares each fetched message with."""
    return consumer._read_offset


def replace_read_offsets(consumer: FaustConsumer, offsets: MutableMapping) -> None:
    """Give the consumer other read offsets; only before its fetcher starts, which binds them once."""
    consumer._read_offset = offsets


def committed_offset(consumer: FaustConsumer, tp: TP) -> int | None:
    """The offset the consumer last committed (or found committed) for `tp`, None if none is known."""
    return consumer._committed_offset.get(tp)


def set_committed_offset(consumer: FaustConsumer, tp: TP, offset: int) -> None:
    """Make the consumer take `offset` as committed for `tp` (its next commit continues from there)."""
    consumer._committed_offset[tp] = offset


def acked_offsets(consumer: FaustConsumer, tp: TP) -> list[int] | None:
    """The offsets of `tp` acked and not yet taken for a commit (None where the partition has no entry)."""
    return consumer._acked.get(tp)


def is_acked(consumer: FaustConsumer, tp: TP, offset: int) -> bool:
    """Whether `offset` of `tp` was acked and not yet taken for a commit."""
    return offset in consumer._acked_index.get(tp, ())


def unacked_messages(consumer: FaustConsumer) -> MutableSet:
    """Messages the streams took and did not ack yet (a shutdown waits for them)."""
    return consumer._unacked_messages


def release_unacked(consumer: FaustConsumer, message: FaustMessage) -> None:
    """Let go of `message` as an ack does, without filing its offset as done."""
    message.acked = True
    consumer._unacked_messages.discard(message)


# ---- the consumer's methods, wrapped ---------------------------------------------------------------------------


def install_fetch_hook(consumer: FaustConsumer, hook: Callable[[Callback, FaustMessage], Awaitable[None]]) -> None:
    """Route every fetched message through `hook(faust_callback, message)`; before the fetcher starts."""
    consumer.callback = partial(hook, consumer.callback)


def install_ack_hook(consumer: FaustConsumer, hook: Callable[[Ack, FaustMessage], bool]) -> Ack:
    """Route every ack through `hook(faust_ack, message)`; returns faust's own ack."""
    faust_ack = consumer.ack
    consumer.ack = partial(hook, faust_ack)
    return faust_ack


def install_new_offset_hook(consumer: FaustConsumer, hook: Callable[[NewOffset, TP], int | None]) -> None:
    """Route the choice of each partition's next offset to commit through `hook(faust_new_offset, tp)`."""
    consumer._new_offset = partial(hook, consumer._new_offset)


def install_seek_hook(consumer: FaustConsumer, after_seek: Callable[[TP, int], None]) -> None:
    """Call `after_seek(tp, offset)` after each of the consumer's seeks."""
    faust_seek = consumer.seek

    async def seek(tp: TP, offset: int) -> None:
        await faust_seek(tp, offset)
        after_seek(tp, offset)

    consumer.seek = seek


def install_consumer_hook(app: FaustApp, on_created: Callable[[FaustConsumer], None]) -> None:
    """Call `on_created(consumer)` on each consumer the app creates, before the app starts using it."""
    create_consumer = app._new_consumer

    def new_consumer() -> FaustConsumer:
        consumer = create_consumer()
        on_created(consumer)
        return consumer

    app._new_consumer = new_consumer


# ---- the stream queues, the producer and the current event -----------------------------------------------------


def queued_messages(flow_control: FlowControl) -> list:
    """Messages waiting in the streams' queues (all of which faust's flow control manages)."""
    return [
        message
        for queue in list(flow_control._queues)
        for item in list(queue._queue)
        if (message := getattr(item, "message", None)) is not None
    ]


def install_drained_flush(producer: FaustProducer) -> None:
    """Make the producer's flush wait until its buffer is empty before flushing the Kafka client."""
    flush = producer.flush

    async def drained_flush() -> None:
        while producer.buffer.size:
            await asyncio.sleep(0.005)
        await flush()

    producer.flush = drained_flush


@contextmanager
def current_event_scope(event: Any) -> Iterator[None]:
    """Make `event` faust's current event (the one table writes are filed under) in this task only.

    Only the context variable is set, not a stream's `current_event` attribute.
    """
    token = faust_streams._current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        faust_streams._current_event.reset(token)


# ---- table state newer than its changelog -----------------------------------------------------------------------


def install_stale_table_reset(app: FaustApp, on_stale: Callable[[TP, int, int], None]) -> None:
    """Before recovery decides where each table partition's changelog reading starts, reset the partitions whose
    persisted offset lies beyond the changelog's end (`on_stale(tp, persisted, last)` first), so that they are
    rebuilt from the changelog instead of failing faust's consistency check.

    That happens when the changelog was deleted or its broker wiped while the local RocksDB state stayed.
    """
    recovery = app.tables.recovery
    faust_build_offsets = recovery._build_offsets

    async def build_offsets(consumer: FaustConsumer, tps: Any, destination: Any, title: str) -> None:
        ends = await consumer.highwaters(*tps) if tps else {}
        for tp in tps:
            persisted, end = destination.get(tp), ends.get(tp)
            last = end - 1 if end is not None else -1
            if persisted is not None and persisted > last:
                on_stale(tp, persisted, last)
                reset_table_partition(app, recovery.tp_to_table[tp], tp)
                destination[tp] = None  # faust then reads the changelog from its start
        await faust_build_offsets(consumer, tps, destination, title)

    recovery._build_offsets = build_offsets


def reset_table_partition(app: FaustApp, table: Any, tp: TP) -> None:
    """Drop a table partition's local state: its RocksDB database (closed, then deleted), the key index that
    points into it and any offset waiting to be persisted for it. A memory store keeps no offset: nothing to do."""
    store = table.data
    if not hasattr(store, "_dbs"):
        return
    store._dbs.pop(tp.partition, None)
    gc.collect()  # faust closes a RocksDB database by dropping it, as on a revocation
    shutil.rmtree(store.partition_path(tp.partition), ignore_errors=True)
    store._key_index.clear()  # a cache of key -> partition, refilled by lookups
    app.tables._pending_persisted_offsets.pop(tp, None)


# ---- the worker's signal handlers -------------------------------------------------------------------------------


def before_stop_signals(worker: Any, before: Callable[[int], None]) -> None:
    """Call `before(signal)` ahead of the worker's own SIGTERM and SIGINT handling (a graceful stop); after its
    signal handlers are installed."""
    for signum, handler in ((signal.SIGTERM, worker._on_sigterm), (signal.SIGINT, worker._on_sigint)):

        def first_before(signum: int = signum, handler: Callable[[], None] = handler) -> None:
            before(signum)
            handler()

        worker.loop.add_signal_handler(signum, first_before)


# ---- the contract ------------------------------------------------------------------------------------------------


def contract_subjects(app: FaustApp) -> dict[str, Any]:
    """The objects `REQUIREMENTS` name, from a faust App that needs no broker: the app, a stream queue and a
    RocksDB store (not opened)."""
    from faust.stores import rocksdb

    table = app.Table("faust-compat-contract")
    return {
        "app": app,
        "stream_queue": app.topic("faust-compat-contract").queue,
        "rocksdb_store": rocksdb.Store("rocksdb://", app, table),
    }


def _resolve(path: str, subjects: Mapping[str, Any]) -> Any:
    """The object at a dotted `path`, from a subject or an importable module; LookupError naming what is missing."""
    names = path.split(".")
    if names[0] in subjects:
        found, rest = subjects[names[0]], names[1:]
    else:
        for cut in range(len(names), 0, -1):
            try:
                found, rest = importlib.import_module(".".join(names[:cut])), names[cut:]
                break
            except ModuleNotFoundError:
                continue
        else:
            raise LookupError(f"{path}: no such subject or module")
    reached = names[: len(names) - len(rest)]
    for name in rest:
        reached.append(name)
        try:
            found = getattr(found, name)
        except AttributeError:
            raise LookupError(f"{'.'.join(reached)}: missing") from None
    return found


def unmet_requirements(subjects: Mapping[str, Any], requirements: tuple[Requirement, ...] = REQUIREMENTS) -> list[str]:
    """One line per requirement the subjects do not meet: what is missing or of another kind, and who uses it."""
    unmet = []
    for requirement in requirements:
        path = f"{requirement.owner}.{requirement.attribute}"
        try:
            value = _resolve(path, subjects)
        except LookupError as missing:
            unmet.append(f"{missing} (used by {requirement.used_by})")
            continue
        if not isinstance(value, requirement.kind):
            unmet.append(
                f"{path}: a {type(value).__name__}, not a {requirement.kind.__name__} (used by {requirement.used_by})"
            )
    return unmet


def installed_versions() -> str:
    """The installed faust-streaming version, with the mode-streaming and aiokafka it runs on."""
    found = []
    for name in ("faust-streaming", "mode-streaming", "aiokafka"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return f"{found[0]} ({', '.join(found[1:])})"


def check_requirements(subjects: Mapping[str, Any], requirements: tuple[Requirement, ...] = REQUIREMENTS) -> None:
    """Raise `FaustInternalsChanged` naming every unmet requirement and the installed faust-streaming version."""
    unmet = unmet_requirements(subjects, requirements)
    if unmet:
        raise FaustInternalsChanged(
            f"{installed_versions()} no longer has what streams.kafka.faust_compat relies on:\n  " + "\n  ".join(unmet)
        )
