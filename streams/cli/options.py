"""Options every command shares, and the settings they lead to.

`--config`, `--loglevel`, `--bootstrap-server` and `--connect-timeout` mean the same on every command that takes
them: they are declared once here and applied by their callbacks, so a command body only asks for `settings()`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from streams.cli.errors import CliError, ExitCode, readable_file
from streams.config import ConfigError, Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
DEFAULT_CONNECT_TIMEOUT = 10.0
BOOTSTRAP_ENV = "STREAMS_KAFKA_BOOTSTRAP_SERVERS"
_SERVER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$")


@dataclass
class Invocation:
    """What the shared options said, for the command body (click's context object)."""

    config_path: Path | None = None
    loglevel: str = "info"
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT


def invocation() -> Invocation:
    return click.get_current_context().ensure_object(Invocation)


def settings() -> Settings:
    """The validated settings: `--config FILE` or config/streams.toml, with the STREAMS_* overrides."""
    try:
        return load_settings(invocation().config_path)
    except ConfigError as exc:
        raise CliError(ExitCode.CONFIG, f"configuration error: {exc}") from None


def limits(config: Settings):
    from streams.contract.schema import Limits

    return Limits(max_body_chars=config.limits.max_body_chars, max_id_chars=config.limits.max_id_chars)


def _set_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        path = Path(readable_file(value, "configuration")).resolve()
        ctx.ensure_object(Invocation).config_path = path
        os.environ["STREAMS_CONFIG_FILE"] = str(path)  # for whatever else in this process loads the settings


def _set_loglevel(ctx: click.Context, _param: click.Parameter, value: str) -> None:
    ctx.ensure_object(Invocation).loglevel = value
    logging.basicConfig(level=value.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("kafka").setLevel(max(logging.WARNING, logging.getLevelName(value.upper())))


def _set_bootstrap(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    servers = [server.strip() for server in value.split(",") if server.strip()]
    bad = [server for server in servers if not _SERVER.match(server)]
    if not servers or bad:
        raise click.BadParameter(f"expected host:port[,host:port...], got {value!r}")
    os.environ[BOOTSTRAP_ENV] = ",".join(servers)


def _set_connect_timeout(ctx: click.Context, _param: click.Parameter, value: float) -> None:
    ctx.ensure_object(Invocation).connect_timeout = value


def config_option(command: F) -> F:
    """`--config FILE` (the settings file instead of config/streams.toml) and `--loglevel`."""
    command = click.option(
        "--loglevel",
        type=click.Choice(LOG_LEVELS, case_sensitive=False),
        default="info",
        show_default=True,
        expose_value=False,
        callback=_set_loglevel,
        help="Log level of this process.",
    )(command)
    return click.option(
        "--config",
        metavar="FILE",
        expose_value=False,
        callback=_set_config,
        help="Settings file to read instead of config/streams.toml (STREAMS_* variables still override it).",
    )(command)


def kafka_options(command: F) -> F:
    """The shared options plus `--bootstrap-server` and `--connect-timeout`, for commands that talk to Kafka."""
    command = click.option(
        "--connect-timeout",
        type=click.FloatRange(min=0.5, max=600),
        default=DEFAULT_CONNECT_TIMEOUT,
        show_default=True,
        expose_value=False,
        callback=_set_connect_timeout,
        metavar="SECONDS",
        help="How long to wait for a broker to answer before giving up (exit 5).",
    )(command)
    command = click.option(
        "--bootstrap-server",
        metavar="HOST:PORT[,HOST:PORT...]",
        expose_value=False,
        callback=_set_bootstrap,
        help=f"Brokers to bootstrap from (sets {BOOTSTRAP_ENV}; default kafka.host:kafka.port).",
    )(command)
    return config_option(command)
