"""orjson for faust: the codec of the worker's JSON topics and tables (kafka-python's serialisers are in
streams.clients)."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

CODEC_NAME = "orjson"


class OrjsonCodec(codecs.Codec):
    """faust codec whose wire format is orjson's JSON bytes."""

    def _dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register() -> None:
    """Make `value_serializer="orjson"` available to faust topics and tables (idempotent)."""
    codecs.register(CODEC_NAME, OrjsonCodec())
