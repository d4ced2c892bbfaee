"""`streams eval ...`: the scorers keep their own options; `--set geo|gva-places` scores the place stage."""

from __future__ import annotations

from collections.abc import Sequence

import click

from streams.cli.errors import readable_file

PLACE_SETS = ("geo", "gva-places")


def _option_value(args: Sequence[str], name: str) -> str | None:
    """The value of `--name VALUE` or `--name=VALUE` in an argument list the scorer will parse."""
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


@click.command(
    "eval",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_command(args: tuple[str, ...]) -> int:
    """Score extraction on a labelled set.

    `streams eval --help` lists the scorer's own options.
    """
    for name in ("--data", "--enriched"):
        value = _option_value(args, name)
        if value is not None:
            readable_file(value, name.lstrip("-"))
    if _option_value(args, "--set") in PLACE_SETS:
        from streams.places import scoring

        return scoring.main(list(args))
    from streams import evaluate

    return evaluate.main(list(args))
