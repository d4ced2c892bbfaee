"""`streams kafka start|stop|status|wipe` (the local broker) and `streams topics` (the pipeline's topics)."""

from __future__ import annotations

import sys
import time

import click
import orjson

from streams.cli.broker import cluster_topics, quiet_kafka_logs
from streams.cli.errors import CliError, ExitCode
from streams.cli.options import config_option, kafka_options, settings


@click.group("kafka")
def kafka_group() -> None:
    """The local Kafka broker.

    Single-node KRaft from Maven Central jars, on kafka.host:kafka.port.
    """


def _broker_failure(action: str, exc: Exception) -> CliError:
    return CliError(ExitCode.FAILED, f"kafka {action}: {str(exc).strip().splitlines()[0]}")


@kafka_group.command("start")
@config_option
def kafka_start() -> int:
    """Start the broker (first start resolves the jars) and create the topics."""
    from streams.kafka import broker, topics

    config = settings()
    started = time.monotonic()
    try:
        pid = broker.start(config)
        with quiet_kafka_logs():
            created = topics.ensure_topics(config)
    except broker.BrokerError as exc:
        raise _broker_failure("start", exc) from None
    click.echo(
        f"kafka {config.kafka.version} running on {config.kafka.bootstrap_servers} (pid {pid}, "
        f"{time.monotonic() - started:.1f}s); topics created: {', '.join(created) or 'none needed'}"
    )
    return ExitCode.OK


@kafka_group.command("stop")
@config_option
def kafka_stop() -> int:
    """Stop the broker (SIGTERM, SIGKILL after 30 s)."""
    from streams.kafka import broker

    try:
        click.echo("kafka stopped" if broker.stop(settings()) else "kafka was not running")
    except broker.BrokerError as exc:
        raise _broker_failure("stop", exc) from None
    return ExitCode.OK


@kafka_group.command("status")
@config_option
def kafka_status() -> int:
    """Print the broker's state as JSON; exit 1 when it does not answer."""
    from streams.kafka import broker

    state = broker.status(settings())
    click.echo(orjson.dumps(state, option=orjson.OPT_INDENT_2).decode())
    return ExitCode.OK if state["answers"] else ExitCode.FAILED


@kafka_group.command("wipe")
@config_option
def kafka_wipe() -> int:
    """Delete the broker's data and logs (stop it first)."""
    from streams.kafka import broker

    config = settings()
    try:
        broker.wipe(config)
    except broker.BrokerError as exc:
        raise _broker_failure("wipe", exc) from None
    click.echo(f"wiped {broker.paths_for(config.kafka).instance}")
    return ExitCode.OK


@click.command("topics")
@kafka_options
def topics_command() -> int:
    """Create the pipeline's topics that do not exist yet."""
    from kafka.errors import KafkaError

    from streams.kafka.topics import ensure_topics

    config = settings()
    cluster_topics(config)  # exit 5 within --connect-timeout rather than a 30 s retry loop
    try:
        with quiet_kafka_logs():
            created = ensure_topics(config)
    except KafkaError as exc:
        print(f"streams topics: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    click.echo(f"topics created: {', '.join(created) or 'none needed'}")
    return ExitCode.OK
