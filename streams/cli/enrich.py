"""`streams enrich`: the worker's enrichment in-process over JSONL, no broker; rejects kept out of the output."""

from __future__ import annotations

import sys
from collections import Counter

import click
import orjson

from streams.cli.errors import ExitCode, open_output
from streams.cli.ingest import input_path, rejected_summary
from streams.cli.options import config_option, limits, settings

FIRST_ERRORS = 10


def _count_lines(path: str) -> int:
    with open(path, "rb") as lines:
        return sum(1 for _ in lines)


class RejectSink:
    """Where rejected lines go: `--rejects FILE` gets every record; stderr the counts and the first ten."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.file = open_output(path, "rejects") if path else None
        self.reasons: Counter[str] = Counter()
        self.first: list[str] = []

    def add(self, record: dict) -> None:
        error = record["error"]
        self.reasons[error["reason"]] += 1
        if len(self.first) < FIRST_ERRORS:
            where = f"line {error['line']}" if error.get("line") else f"id {record.get('id')!r}"
            self.first.append(f"{where}: {error['reason']}: {error['detail'][:200]}")
        if self.file is not None:
            self.file.write(orjson.dumps(record) + b"\n")

    @property
    def total(self) -> int:
        return sum(self.reasons.values())

    def close(self) -> None:
        if self.file is not None and self.file is not sys.stdout.buffer:
            self.file.close()


@click.command("enrich")
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--input", "-i", "input_option", metavar="FILE", help="JSONL raw articles, or - for stdin.")
@click.option("--output", "-o", default="-", show_default=True, metavar="FILE", help="JSONL enriched events, or -.")
@click.option("--rejects", metavar="FILE", help="Write one JSON record per rejected line here (never into --output).")
@click.option("--batch-size", type=click.IntRange(1, 1024), help="Articles per NLP batch (default worker.batch_size).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@config_option
def enrich_command(
    file: str | None, input_option: str | None, output: str, rejects: str | None, batch_size: int | None, quiet: bool
) -> int:
    """Enrich JSONL articles in-process, no broker.

    One enriched event per accepted line, in order; rejected lines go to --rejects, never to the output, and
    make the exit code 7.
    """
    from tqdm import tqdm

    from streams.enrichment.enricher import Enricher, enrich_lines

    path = input_path(file, input_option)
    config = settings()
    size = batch_size or config.worker.batch_size
    total = None if path == "-" else _count_lines(path)
    sink = open_output(output)
    rejected = RejectSink(rejects)
    enriched = 0
    source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed by the with below
    enricher = Enricher(batch_size=size)
    bar = tqdm(total=total, unit="article", desc="enrich", file=sys.stderr, disable=path == "-" or quiet)
    try:
        with source, bar:
            for event in enrich_lines(source, enricher, limits(config), batch_size=size):
                if "error" in event:
                    rejected.add(event)
                else:
                    sink.write(orjson.dumps(event) + b"\n")
                    enriched += 1
                bar.update(1)
    finally:
        rejected.close()
        if sink is not sys.stdout.buffer:
            sink.close()
    if rejected.total or not quiet:
        print(
            f"enriched {enriched} articles; {rejected_summary(rejected.total, rejected.reasons, rejects)}",
            file=sys.stderr,
        )
    for line in rejected.first:
        print(f"  {line}", file=sys.stderr)
    return ExitCode.REJECTED_LINES if rejected.total else ExitCode.OK
