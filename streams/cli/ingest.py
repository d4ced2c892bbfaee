"""`streams ingest`: JSONL raw articles to `articles.raw`, rejected lines counted by reason (exit 7 if any)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from streams.cli.broker import connect, require_topic, unreachable
from streams.cli.errors import ExitCode, open_output, readable_file
from streams.cli.options import kafka_options, limits, settings


def input_path(positional: str | None, option: str | None) -> str:
    """One input from either the positional FILE or --input (the positional is kept as an alias)."""
    if positional and option and positional != option:
        raise click.UsageError(f"two inputs given: {positional} and --input {option}")
    chosen = option or positional
    if not chosen:
        raise click.UsageError("an input is required: FILE, --input FILE, or - for stdin")
    return readable_file(chosen)


def rejected_summary(rejected: int, counts, rejects: str | None) -> str:
    """'rejected N (reason: n, ...)', naming the rejects file when there is one."""
    if not rejected:
        return "rejected 0"
    reasons = ", ".join(f"{reason}: {n}" for reason, n in counts.most_common())
    return f"rejected {rejected} ({reasons})" + (f"; rejects in {rejects}" if rejects else "")


@click.command("ingest")
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--input", "-i", "input_option", metavar="FILE", help="JSONL raw articles, or - for stdin.")
@click.option("--rejects", metavar="FILE", help="Write one JSON record per rejected line here.")
@click.option("--no-validate", is_flag=True, help="Send lines unchecked (to see dead letters).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@kafka_options
def ingest_command(
    file: str | None, input_option: str | None, rejects: str | None, no_validate: bool, quiet: bool
) -> int:
    """Send JSONL articles to articles.raw.

    Keyed by article id; rejected lines are counted by reason (and written to --rejects) and make the exit
    code 7.
    """
    from kafka.errors import KafkaError
    from tqdm import tqdm

    from streams.contract.rejects import reject_record
    from streams.kafka.clients import json_producer
    from streams.sources.ingest import ingest_stream

    path = input_path(file, input_option)
    config = settings()
    topic = config.topics.raw.name
    require_topic(config, topic)
    producer = connect(config, json_producer)
    sink = open_output(rejects, "rejects") if rejects else None
    source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed by the with below
    total = None if path == "-" else Path(path).stat().st_size

    def on_reject(number: int, rejection, raw: bytes) -> None:
        if sink is not None:
            sink.write(orjson.dumps(reject_record(number, rejection, raw)) + b"\n")

    try:
        with source, tqdm(total=total, unit="B", unit_scale=True, desc="ingest", file=sys.stderr, disable=quiet) as bar:
            report = ingest_stream(
                source,
                producer,
                topic,
                limits(config),
                validate=not no_validate,
                on_line=bar.update,
                on_reject=on_reject,
            )
    except KafkaError as exc:
        raise unreachable(config, f"stopped answering: {exc}") from None
    finally:
        if sink is not None and sink is not sys.stdout.buffer:
            sink.close()
        producer.close(timeout=5)
    rejected = report.rejected_total
    print(
        f"sent {report.sent} articles to {topic}; {rejected_summary(rejected, report.rejected, rejects)}",
        file=sys.stderr,
    )
    for line in report.first_errors:
        print(f"  {line}", file=sys.stderr)
    return ExitCode.REJECTED_LINES if rejected else ExitCode.OK
