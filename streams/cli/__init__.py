"""`streams ...` / `python -m streams ...`: the one command-line entry point (click; docs/cli.md).

`main` runs the click group without click's own exit handling, so that every expected failure becomes one line
on stderr and a documented exit code (`streams.cli.errors.ExitCode`), a closed stdout a quiet exit, and so that
tests can call `main([...])` and get the code back.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from streams import __version__
from streams.cli.completion import completion_command
from streams.cli.enrich import enrich_command
from streams.cli.errors import CliError, ExitCode, silence_closed_stdout
from streams.cli.evaluate import eval_command
from streams.cli.export import export_group
from streams.cli.feeds import feeds_group
from streams.cli.ingest import ingest_command
from streams.cli.kafka import kafka_group, topics_command
from streams.cli.tail import tail_command
from streams.cli.worker import worker_command

__all__ = ["ExitCode", "cli", "main"]


class StreamsGroup(click.Group):
    """click turns a closed stdout into exit 1; here it is a quiet exit 141, whichever command wrote."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            silence_closed_stdout()
            raise CliError(ExitCode.CLOSED_PIPE, "") from None


@click.group(cls=StreamsGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", "-V", prog_name="streams", message="%(prog)s %(version)s")
def cli() -> None:
    """Streaming enrichment of news articles: entities and casualty figures on Kafka.

    Exit codes: 0 ok, 1 failed, 2 usage, 3 configuration, 4 no input file, 5 no broker, 6 unknown topic,
    7 rejected lines, 8 output not writable, 130 interrupted, 141 closed pipe (docs/cli.md).
    """


for command in (
    kafka_group,
    topics_command,
    worker_command,
    ingest_command,
    tail_command,
    enrich_command,
    eval_command,
    export_group,
    feeds_group,
    completion_command,
):
    cli.add_command(command)


def command_path(argv: Sequence[str]) -> str:
    """'streams', 'streams tail' or 'streams feeds add': the command an error message speaks for."""
    words = ["streams"]
    group: click.Command = cli
    for arg in argv:
        if not isinstance(group, click.Group) or arg.startswith("-"):
            break
        found = group.commands.get(arg)
        if found is None:
            break
        words.append(arg)
        group = found
    return " ".join(words)


def _exit_code(value: object) -> int:
    if value is None:
        return ExitCode.OK
    if isinstance(value, int):
        return int(value)
    return ExitCode.FAILED if value else ExitCode.OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (see ExitCode)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _exit_code(cli.main(args=args, prog_name="streams", standalone_mode=False))
        sys.stdout.flush()
    except CliError as exc:
        if exc.message:
            print(f"{command_path(args)}: {exc.message}", file=sys.stderr)
        return exc.code
    except click.exceptions.Exit as exc:  # --version, --help
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):  # click has ended the line on stderr
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        silence_closed_stdout()
        return ExitCode.CLOSED_PIPE
    except SystemExit as exc:  # the scorers `streams eval` hands over to parse with argparse
        return exc.code if isinstance(exc.code, int) else (ExitCode.OK if exc.code is None else ExitCode.FAILED)
    return code
