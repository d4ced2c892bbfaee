"""orjson everywhere: the faust codec for topics and tables, and plain helpers for everything else."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

CODEC_NAME = "orjson"


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


class OrjsonCodec(codecs.Codec):
    """faust codec whose wire format is orjson's JSON bytes."""

    def _dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register() -> None:
    """Make `value_serializer="orjson"` available to faust topics and tables (idempotent)."""
    codecs.register(CODEC_NAME, OrjsonCodec())
