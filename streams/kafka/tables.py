"""faust tables of the worker: raw-string keys, orjson values, RocksDB sized for a small worker.

faust's RocksDB defaults (64 MiB write buffers, three of them, a 2 GiB block cache) are per table and per
partition; the worker opens several tables on several partitions, so they are scaled down here to keep a worker
within a few hundred MB. The tables hold small records; lookups stay fast with a small cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust

from streams.kafka import codec

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
