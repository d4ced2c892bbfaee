"""A local single-node Apache Kafka broker (KRaft, combined broker and controller) without Docker.

The broker's jars come from Maven Central (`config/kafka/pom.xml`, version from `kafka.version`) and are cached
per version under `kafka.home`, so only the first start downloads. Storage is formatted once per data folder.
Wiping a broker also deletes its workers' table state (`Settings.broker_state_dir`), so that the next
`streams worker` starts from the emptied changelogs.
"""

from __future__ import annotations

import base64
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from string import Template

from streams.config import CONFIG_DIR, KafkaSettings, Settings

KAFKA_CONFIG_DIR = CONFIG_DIR / "kafka"


class BrokerError(RuntimeError):
    """The local broker could not be resolved, formatted, started or stopped."""


@dataclass(frozen=True)
class BrokerPaths:
    """Where one broker (identified by its port) keeps its files under `kafka.home`."""

    home: Path
    version: str
    port: int

    @property
    def jars(self) -> Path:
        return self.home / "jars" / self.version

    @property
    def instance(self) -> Path:
        return self.home / f"broker-{self.port}"

    @property
    def data(self) -> Path:
        return self.instance / "data"

    @property
    def logs(self) -> Path:
        return self.instance / "logs"

    @property
    def properties(self) -> Path:
        return self.instance / "server.properties"

    @property
    def pid_file(self) -> Path:
        return self.instance / "broker.pid"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"


def paths_for(kafka: KafkaSettings) -> BrokerPaths:
    return BrokerPaths(home=kafka.home, version=kafka.version, port=kafka.port)


def resolve_jars(kafka: KafkaSettings, quiet: bool = True) -> Path:
    """Copy the broker's runtime classpath from Maven Central into the cache; a no-op when cached."""
    target = paths_for(kafka).jars
    marker = target / ".complete"
    if marker.exists():
        return target
    if shutil.which("mvn") is None:
        raise BrokerError("Maven (mvn) is not on PATH: it is needed once to fetch the Kafka jars")
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    profile = "log4j2" if kafka.major >= 4 else "reload4j"
    command = [
        "mvn",
        "-B",
        "-f",
        str(KAFKA_CONFIG_DIR / "pom.xml"),
        "dependency:copy-dependencies",
        f"-Dkafka.version={kafka.version}",
        f"-DoutputDirectory={staging}",
        "-P",
        profile,
    ]
    if quiet:
        command.insert(2, "-q")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
        raise BrokerError(
            f"resolving org.apache.kafka:kafka_2.13:{kafka.version} failed:\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    marker.touch()
    return target


def render_properties(settings: Settings) -> str:
    """server.properties for this configuration, from the template in config/kafka/."""
    kafka = settings.kafka
    template = Template((KAFKA_CONFIG_DIR / "server.properties").read_text(encoding="utf-8"))
    return template.substitute(
        host=kafka.host,
        port=kafka.port,
        controller_port=kafka.controller_port,
        data_dir=paths_for(kafka).data,
        partitions=settings.topics.partitions,
        max_message_bytes=settings.topics.max_message_bytes,
        socket_request_max_bytes=max(settings.topics.max_message_bytes * 2, 104857600),
    )


def _java_command(kafka: KafkaSettings, main_class: str, *args: str) -> list[str]:
    paths = paths_for(kafka)
    if kafka.major >= 4:
        logging = [f"-Dlog4j2.configurationFile={KAFKA_CONFIG_DIR / 'log4j2.xml'}"]
    else:
        logging = [f"-Dlog4j.configuration=file:{KAFKA_CONFIG_DIR / 'log4j.properties'}"]
    return [
        "java",
        f"-Xmx{kafka.heap}",
        f"-Xms{kafka.heap}",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={paths.logs}",
        *logging,
        "-cp",
        str(paths.jars / "*"),
        main_class,
        *args,
    ]


def new_cluster_id() -> str:
    """A random KRaft cluster id: 16 bytes in URL-safe base64, as `kafka-storage random-uuid` prints."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def _format_storage(settings: Settings) -> None:
    paths = paths_for(settings.kafka)
    if (paths.data / "meta.properties").exists():
        return
    result = subprocess.run(
        # `--cluster-id=` keeps an id that begins with "-" (one in 64) from being read as an option
        _java_command(
            settings.kafka,
            "kafka.tools.StorageTool",
            "format",
            f"--cluster-id={new_cluster_id()}",
            "-c",
            str(paths.properties),
            "--ignore-formatted",
        ),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BrokerError(f"formatting storage in {paths.data} failed:\n{result.stdout}{result.stderr}")


def read_pid(kafka: KafkaSettings) -> int | None:
    """The broker's pid if its pid file names a live process."""
    pid_file = paths_for(kafka).pid_file
    try:
        pid = int(pid_file.read_text())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    try:  # a zombie child of this process counts as gone
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return None
    except ChildProcessError:
        pass
    return pid


def answers_metadata(settings: Settings, timeout_s: float = 3.0) -> bool:
    """True when the broker answers a metadata request: an open port alone is not readiness.

    kafka-python logs every refused connection at ERROR; while probing, refusals are expected, so its logger
    is silenced for the duration of the probe.
    """
    from streams.kafka.clients import admin_client

    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    try:
        client = admin_client(settings, request_timeout_ms=int(timeout_s * 1000))
    except Exception:  # any client failure means "not ready yet"
        kafka_log.setLevel(level)
        return False
    try:
        return bool(client.describe_cluster().get("brokers"))
    except Exception:
        return False
    finally:
        client.close()
        kafka_log.setLevel(level)


def start(settings: Settings, wait_s: float = 90.0) -> int:
    """Start the broker in the background (if it is not already running) and wait until it answers."""
    kafka = settings.kafka
    paths = paths_for(kafka)
    pid = read_pid(kafka)
    if pid is not None:
        if answers_metadata(settings):
            return pid
        raise BrokerError(f"a broker process {pid} exists but does not answer on {kafka.bootstrap_servers}")
    resolve_jars(kafka)
    paths.logs.mkdir(parents=True, exist_ok=True)
    paths.properties.write_text(render_properties(settings), encoding="utf-8")
    _format_storage(settings)
    # What this run of the broker printed outside its log files (its own logs go to server.log and keep history).
    with open(paths.console_log, "wb") as console:
        process = subprocess.Popen(
            _java_command(kafka, "kafka.Kafka", str(paths.properties)),
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    paths.pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrokerError(
                f"broker exited with code {process.returncode}; see {paths.console_log} and {paths.logs / 'server.log'}"
            )
        if answers_metadata(settings, timeout_s=2.0):
            return process.pid
        time.sleep(0.5)
    stop(settings)
    raise BrokerError(f"broker did not answer a metadata request within {wait_s:.0f}s; see {paths.logs}")


def stop(settings: Settings, wait_s: float = 30.0) -> bool:
    """Stop the broker: SIGTERM for a clean shutdown, SIGKILL if it has not exited in `wait_s`."""
    kafka = settings.kafka
    pid = read_pid(kafka)
    if pid is None:
        paths_for(kafka).pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and read_pid(kafka) is not None:
        time.sleep(0.2)
    if read_pid(kafka) is not None:
        os.kill(pid, signal.SIGKILL)
        while read_pid(kafka) is not None:
            time.sleep(0.1)
    paths_for(kafka).pid_file.unlink(missing_ok=True)
    return True


def status(settings: Settings) -> dict[str, object]:
    kafka = settings.kafka
    pid = read_pid(kafka)
    return {
        "version": kafka.version,
        "bootstrap_servers": kafka.bootstrap_servers,
        "pid": pid,
        "running": pid is not None,
        "answers": pid is not None and answers_metadata(settings),
        "logs": str(paths_for(kafka).logs),
    }


def state_in_use(folder: Path) -> Path | None:
    """A RocksDB database under `folder` that a running process holds (its LOCK file is locked), if any."""
    for lock in folder.rglob("LOCK"):
        try:
            with open(lock, "r+b") as handle:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.lockf(handle, fcntl.LOCK_UN)
        except OSError:
            return lock.parent
    return None


def wipe(settings: Settings) -> list[Path]:
    """Delete this broker's data and logs (the jar cache stays) and the table state its workers keep under
    `worker.data_dir` (it would be newer than the emptied changelogs); return the folders deleted."""
    if read_pid(settings.kafka) is not None:
        raise BrokerError("stop the broker before wiping its data")
    state = settings.broker_state_dir
    held = state_in_use(state) if state.is_dir() else None
    if held is not None:
        raise BrokerError(f"a worker is running on the table state in {held}: stop the workers before wiping")
    deleted = [folder for folder in (paths_for(settings.kafka).instance, state) if folder.exists()]
    for folder in deleted:
        shutil.rmtree(folder, ignore_errors=True)
    return deleted
