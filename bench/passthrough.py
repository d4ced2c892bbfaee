"""Ceiling B of the benchmark: a faust worker that moves articles from the raw topic to another topic doing no
work, with the pipeline's batching and serialisation (orjson in, orjson out). Run by bench/pipeline.py as
`python bench/passthrough.py OUT_TOPIC`, configured like the real worker through STREAMS_* variables."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faust

from streams.config import settings as load_settings
from streams.kafka import codec
from streams.worker.app import faust_settings


def main(out_topic: str) -> None:
    settings = load_settings()
    codec.register()
    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.worker.app_id, **faust_settings(settings))
    source = app.topic(settings.topics.raw.name, key_serializer="raw", value_serializer="raw")
    sink = app.topic(out_topic, key_serializer="raw", value_serializer=codec.CODEC_NAME)

    @app.agent(source, name="passthrough", concurrency=1)
    async def passthrough(stream: faust.StreamT) -> None:
        async for events in stream.take_events(settings.worker.batch_size, within=settings.worker.batch_within_seconds):
            for event in events:
                sink.send_soon(key=event.message.key, value=orjson.loads(event.message.value))

    sys.argv = [sys.argv[0], "worker", "--loglevel", "info", "--web-port", str(settings.worker.web_port)]
    app.main()


if __name__ == "__main__":
    main(sys.argv[1])
