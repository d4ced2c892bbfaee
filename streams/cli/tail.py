"""`streams tail TOPIC`: records as they arrive, one JSON object per line (`--pretty` for people)."""

from __future__ import annotations

import sys

import click
from click.shell_completion import CompletionItem

from streams.cli.broker import connect, require_topic, unreachable
from streams.cli.options import kafka_options, settings
from streams.config import ConfigError, load_settings


def _configured_topics(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Completion offers the pipeline's topic names from the settings (no broker is asked)."""
    try:
        names = [topic.name for topic in load_settings().topics.all()]
    except ConfigError:
        return []
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


@click.command("tail")
@click.argument("topic", shell_complete=_configured_topics)
@click.option("--max", "max_records", type=click.IntRange(min=0), default=0, help="Stop after this many records.")
@click.option(
    "--timeout", type=click.FloatRange(min=0), default=0, metavar="SECONDS", help="Stop after this many idle seconds."
)
@click.option("--from-end", is_flag=True, help="Only records produced from now on.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "pretty", "brief"]),
    default="json",
    show_default=True,
    help="json: one object per line; pretty: a header and indented JSON; brief: a few lines per enriched event.",
)
@click.option("--pretty", is_flag=True, help="Same as --format pretty.")
@click.option(
    "--envelope", is_flag=True, help="With json: every record as {topic, partition, offset, key, headers, value}."
)
@kafka_options
def tail_command(
    topic: str, max_records: int, timeout: float, from_end: bool, fmt: str, pretty: bool, envelope: bool
) -> int:
    """Print a topic's records as they arrive.

    One JSON object per line (dead letters with their headers); Ctrl-C stops.
    """
    from kafka.errors import KafkaError

    from streams.kafka.clients import raw_consumer
    from streams.kafka.tail import json_line, render

    fmt = "pretty" if pretty else fmt
    config = settings()
    require_topic(config, topic)
    consumer = connect(
        config,
        raw_consumer,
        topic,
        auto_offset_reset="latest" if from_end else "earliest",
        consumer_timeout_ms=int(timeout * 1000) if timeout else float("inf"),
    )
    out = sys.stdout.buffer
    shown = 0
    try:
        for message in consumer:
            line = json_line(message, envelope) if fmt == "json" else (render(message, fmt) + "\n").encode()
            out.write(line)
            out.flush()
            shown += 1
            if max_records and shown >= max_records:
                break
    except KafkaError as exc:
        raise unreachable(config, f"stopped answering: {exc}") from None
    finally:
        consumer.close()
    return 0
