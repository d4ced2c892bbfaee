"""faust tables of the worker: raw-string keys, orjson values, RocksDB sized for a small worker.

faust's RocksDB defaults (64 MiB write buffers, three of them, a 2 GiB block cache) are per table and per
partition; the worker opens several tables on several partitions, so they are scaled down here to keep a worker
within a few hundred MB. The tables hold small records; lookups stay fast with a small cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import faust
from faust.types import TP

from streams.kafka import codec, faust_compat

log = logging.getLogger(__name__)

STORE_OPTIONS = {
    "write_buffer_size": 4 * 2**20,
    "max_write_buffer_number": 2,
    "target_file_size_base": 16 * 2**20,
    "block_cache_size": 8 * 2**20,
    "block_cache_compressed_size": 0,
}


def keyed_table(app: faust.App, name: str, help_text: str, default: Callable[[], Any] | None = None) -> Any:
    """A changelog-backed table keyed by a string, with JSON values."""
    return app.Table(
        name,
        default=default,
        help=help_text,
        options=dict(STORE_OPTIONS),
        schema=faust.Schema(key_serializer="raw", value_serializer=codec.CODEC_NAME),
    )


def rebuild_stale_tables(app: faust.App) -> None:
    """Rebuild from its changelog any table partition whose local state is newer than the changelog (the topic
    was deleted or the broker wiped, the worker's data_dir kept), with a warning, where faust would stop the
    worker with a ConsistencyError."""

    def warn(tp: TP, persisted: int, last: int) -> None:
        log.warning(
            "%s[%d]: the local table state is at offset %d but the changelog ends at %d (deleted or wiped since); "
            "dropping the local state and rebuilding it from the changelog",
            tp.topic,
            tp.partition,
            persisted,
            last,
        )

    faust_compat.install_stale_table_reset(app, warn)
