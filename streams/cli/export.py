"""`streams export incidents`: the live incidents of the `incidents` topic as a CSV or Parquet file."""

from __future__ import annotations

from pathlib import Path

import click

from streams.cli.broker import connect, require_topic, unreachable
from streams.cli.errors import CliError, ExitCode
from streams.cli.options import kafka_options, settings


@click.group("export")
def export_group() -> None:
    """Write what the pipeline holds as files for pandas, R or a spreadsheet."""


@export_group.command("incidents")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.option("--output", "-o", required=True, metavar="FILE", help="The file to write.")
@kafka_options
def export_incidents(fmt: str, output: str) -> int:
    """The live incidents (last value per id; tombstones and merged records dropped), one row each with
    ACLED-like columns: event_date, country, admin1, admin2, location, latitude, longitude, fatalities, injured,
    sources, notes (the evidence)."""
    from kafka import TopicPartition
    from kafka.errors import KafkaError

    from streams.incidents.export import read_live, rows, write_csv, write_parquet
    from streams.kafka.clients import raw_consumer

    config = settings()
    topic = config.topics.incidents.name
    require_topic(config, topic)
    consumer = connect(config, raw_consumer, client_id="streams-export")
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        live = read_live(consumer, partitions)
    except KafkaError as exc:
        raise unreachable(config, f"stopped answering: {exc}") from None
    finally:
        consumer.close()
    table = rows(live.values())
    path = Path(output)
    try:
        (write_parquet if fmt == "parquet" else write_csv)(table, path)
    except OSError as exc:
        raise CliError(ExitCode.NO_OUTPUT, f"cannot write output file {output}: {exc.strerror}") from None
    click.echo(f"{len(table)} incidents written to {output} ({fmt})", err=True)
    return 0
