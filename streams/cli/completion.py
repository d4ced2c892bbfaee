"""`streams completion bash|zsh|fish`: the shell completion script, from click's own completion support."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

SHELLS = ("bash", "zsh", "fish")


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion_command(shell: str) -> int:
    """Print the shell completion script.

    eval "$(streams completion bash)" in ~/.bashrc (zsh and fish alike).
    """
    from streams.cli import cli

    completion_class = get_completion_class(shell)
    if completion_class is None:  # click knows every shell in SHELLS
        raise click.UsageError(f"no completion for {shell}")
    script = completion_class(cli, {}, "streams", "_STREAMS_COMPLETE").source()
    click.echo(script)
    return 0
