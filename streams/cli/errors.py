"""Exit codes of the `streams` command and the one-line errors that carry them (docs/cli.md lists them).

Every expected failure is a `CliError` raised where it is known; `streams.cli.main` prints its message on one
line of stderr and returns its code, so no expected failure ends in a traceback.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the command ran and failed (a broker that does not answer `kafka status`, a feed list edit refused)
    USAGE = 2  # an unknown option or a bad value (click's own code, as argparse's)
    CONFIG = 3  # a configuration value is invalid (the message names the key and the rule)
    NO_INPUT = 4  # an input file (or --config file) does not exist or cannot be read
    BROKER_UNREACHABLE = 5  # no Kafka broker answered within --connect-timeout, or it stopped answering
    UNKNOWN_TOPIC = 6  # the topic does not exist on the cluster
    REJECTED_LINES = 7  # some input lines were rejected (the others went through; the summary says which)
    NO_OUTPUT = 8  # an output file cannot be written
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    CLOSED_PIPE = 141  # the reader of stdout went away (128 + SIGPIPE), as `yes | head` reports


class CliError(Exception):
    """An expected failure: a one-line message and the exit code that says which kind."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def readable_file(path: str, what: str = "input") -> str:
    """`path` if it is a readable regular file ('-' passes: stdin), else a NO_INPUT error naming it."""
    if path == "-":
        return path
    if not os.path.exists(path):
        raise CliError(ExitCode.NO_INPUT, f"{what} file {path} does not exist")
    if os.path.isdir(path):
        raise CliError(ExitCode.NO_INPUT, f"{what} file {path} is a directory")
    if not os.access(path, os.R_OK):
        raise CliError(ExitCode.NO_INPUT, f"{what} file {path} is not readable")
    return path


def open_output(path: str, what: str = "output"):
    """A binary sink for `path` ('-': stdout), or a NO_OUTPUT error naming it."""
    if path == "-":
        return sys.stdout.buffer
    try:
        return open(path, "wb")  # the caller closes it
    except OSError as exc:
        raise CliError(ExitCode.NO_OUTPUT, f"cannot write {what} file {path}: {exc.strerror}") from None


def silence_closed_stdout() -> None:
    """After a BrokenPipeError: point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
