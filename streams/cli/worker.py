"""`streams worker`: the faust worker, after a bounded check that the cluster answers."""

from __future__ import annotations

import logging
import os
import sys

import click

from streams.cli.broker import cluster_topics, quiet_kafka_logs
from streams.cli.errors import CliError, ExitCode
from streams.cli.options import invocation, kafka_options, settings
from streams.config import ROLES, ConfigError, check_worker_environment

# faust's own names of the levels `--loglevel` offers
FAUST_LOG_LEVELS = {"debug": "debug", "info": "info", "warning": "warn", "error": "error", "critical": "crit"}


@click.command("worker")
@click.option("--web-port", type=click.IntRange(1, 65535), help="HTTP port (default worker.web_port); one per worker.")
@click.option("--role", type=click.Choice(ROLES), help="What this process runs (default worker.role).")
@kafka_options
def worker_command(web_port: int | None, role: str | None) -> int:
    """Run the faust worker.

    Enrichment, rollups and the HTTP API, as --role says; Ctrl-C or SIGTERM stops it.
    """
    from streams.kafka.topics import ensure_topics
    from streams.worker.app import create_app

    if web_port:
        os.environ["STREAMS_WORKER_WEB_PORT"] = str(web_port)
    if role:
        os.environ["STREAMS_WORKER_ROLE"] = role
    config = settings()
    logging.getLogger(__name__).info("settings: %s", config.redacted())
    try:
        check_worker_environment(config)  # a data dir it cannot write, a web port it cannot bind
    except ConfigError as exc:
        raise CliError(ExitCode.CONFIG, f"configuration error: {exc}") from None
    cluster_topics(config)  # exit 5 within --connect-timeout when no broker answers
    sys.setswitchinterval(config.worker.switch_interval_seconds)
    with quiet_kafka_logs():
        ensure_topics(config)
    app = create_app(config)
    sys.argv = [
        sys.argv[0],
        "worker",
        "--loglevel",
        FAUST_LOG_LEVELS[invocation().loglevel.lower()],
        "--web-port",
        str(config.worker.web_port),
        "--web-host",
        config.worker.web_host,
    ]
    app.main()
    return 0
