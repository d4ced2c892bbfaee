"""Configuration: `config/streams.toml` (or another file) overridden by `STREAMS_<SECTION>_<KEY>` variables.

Everything is validated once, at start-up, so a bad value stops the process with one line naming the key and the
rule instead of failing later inside a Kafka client: types, finite numbers, ranges, the relations between
settings (timeouts against each other and against the broker's limits) and hosts that resolve. What only a
worker needs (a writable state folder, an address of this machine to serve on) is checked by
`check_worker_environment` before the worker starts. A `STREAMS_*` variable that names no setting is warned
about by name, with the closest known name.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.config_env import (  # noqa: F401 - _apply_env and the paths are read from here by others
    CONFIG_DIR,
    CONFIG_FILE,
    REPO_ROOT,
    ConfigError,
    _apply_env,
    check_hosts,
    check_worker_environment,
    check_writable_dir,
    config_file,
    unknown_variables,
)
from streams.config_rules import (
    MAX_MESSAGE_BYTES,
    _between,
    _check_worker_timeouts,
    _path,
    _port,
    _positive,
    _require,
    _servers,
    _timeout,
    _typed,
)

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# What a worker process runs: everything, only the enrichment, or only the rollups fed by the enrichment's output.
ROLES = ("all", "enrich", "rollups")
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_APP_ID = re.compile(r"^[A-Za-z0-9._-]{1,200}$")  # it prefixes changelog topic names
_KAFKA_VERSION = re.compile(r"^(3\.9|4\.\d+)\.\d+$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSettings:
    name: str
    retention_ms: int
    compacted: bool = False  # cleanup.policy=compact: the topic keeps the last value per key


@dataclass(frozen=True)
class KafkaSettings:
    version: str
    host: str
    port: int
    controller_port: int
    home: Path
    heap: str
    security_protocol: str
    sasl_mechanism: str
    sasl_username: str
    sasl_password: str = field(repr=False)
    ssl_cafile: str
    ssl_certfile: str
    ssl_keyfile: str
    # `kafka.bootstrap_servers` as host:port entries; empty: the clients connect to host:port
    servers: tuple[str, ...] = ()
    group_min_session_timeout_ms: int = 6000
    group_max_session_timeout_ms: int = 1800000

    @property
    def bootstrap_servers(self) -> str:
        """Where the clients connect, comma-separated: `kafka.bootstrap_servers`, else host:port."""
        return ",".join(self.bootstrap_list)

    @property
    def bootstrap_list(self) -> list[str]:
        return list(self.servers) or [f"{self.host}:{self.port}"]

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])


@dataclass(frozen=True)
class TopicsSettings:
    partitions: int
    replication_factor: int
    max_message_bytes: int
    raw: TopicSettings
    enriched: TopicSettings
    casualties: TopicSettings
    dead_letter: TopicSettings
    incident_reports: TopicSettings
    incidents: TopicSettings

    def all(self) -> list[TopicSettings]:
        return [self.raw, self.enriched, self.casualties, self.dead_letter, self.incident_reports, self.incidents]


@dataclass(frozen=True)
class WorkerSettings:
    app_id: str
    role: str
    batch_size: int
    batch_within_seconds: float
    long_article_chars: int
    web_host: str
    web_port: int
    session_timeout_seconds: float
    request_timeout_seconds: float
    producer_timeout_seconds: float
    producer_linger_seconds: float
    producer_batch_bytes: int
    switch_interval_seconds: float
    redelivery_check_seconds: float
    data_dir: Path
    join_timeout_seconds: float = 120.0
    shutdown_timeout_seconds: float = 50.0

    @property
    def group_id(self) -> str:
        """The faust app id (consumer group, changelog topic prefix) of this role: rollups processes form a
        group of their own, since they consume other topics than the enrich workers."""
        return f"{self.app_id}-rollups" if self.role == "rollups" else self.app_id


@dataclass(frozen=True)
class LimitSettings:
    max_body_chars: int
    max_id_chars: int


@dataclass(frozen=True)
class Settings:
    kafka: KafkaSettings
    topics: TopicsSettings
    worker: WorkerSettings
    limits: LimitSettings

    @property
    def broker_state_dir(self) -> Path:
        """Where the workers of this broker address keep their table state: a folder per address under
        `worker.data_dir`, so that wiping a broker drops its workers' state and no other."""
        return self.worker.data_dir / ("kafka-" + re.sub(r"[^A-Za-z0-9.-]+", "_", self.kafka.bootstrap_servers))

    @property
    def worker_state_dir(self) -> Path:
        """The faust data folder of this worker (one per web port, so workers on one machine keep theirs)."""
        return self.broker_state_dir / f"worker-{self.worker.web_port}"

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict safe to log: secrets are replaced by '***'."""
        out = {
            "kafka": {**vars(self.kafka), "bootstrap_servers": self.kafka.bootstrap_servers},
            "topics": {"partitions": self.topics.partitions, **{t.name: t.retention_ms for t in self.topics.all()}},
            "worker": dict(vars(self.worker)),
            "limits": dict(vars(self.limits)),
        }
        if out["kafka"]["sasl_password"]:
            out["kafka"]["sasl_password"] = "***"
        return {
            section: {k: str(v) if isinstance(v, Path) else v for k, v in values.items()}
            for section, values in out.items()
        }


def parse_settings(raw: Mapping[str, Any]) -> Settings:
    """Validate a raw configuration mapping (TOML plus overrides) into `Settings`, section by section."""
    for section in ("kafka", "topics", "worker", "limits"):
        if not isinstance(raw.get(section), dict):
            raise ConfigError(f"config section [{section}] is missing")
    kafka = _kafka_settings(raw["kafka"])
    topics = _topics_settings(raw["topics"])
    worker = _worker_settings(raw["worker"], topics, kafka)
    limits = _limit_settings(raw["limits"], topics)
    return Settings(kafka=kafka, topics=topics, worker=worker, limits=limits)


def _kafka_security(k: Mapping[str, Any]) -> tuple[str, str]:
    """The security protocol and SASL mechanism, with the credentials and files they require."""
    protocol = _typed(k, "security_protocol", str, "kafka").upper()
    _require(
        protocol in SECURITY_PROTOCOLS, "kafka.security_protocol", f"must be one of {SECURITY_PROTOCOLS}", protocol
    )
    mechanism = _typed(k, "sasl_mechanism", str, "kafka").upper()
    _require(mechanism in SASL_MECHANISMS, "kafka.sasl_mechanism", f"must be one of {SASL_MECHANISMS[1:]}", mechanism)
    if protocol.startswith("SASL"):
        _require(bool(mechanism), "kafka.sasl_mechanism", f"is required with {protocol}", mechanism)
        _require(bool(k.get("sasl_username")), "kafka.sasl_username", f"is required with {protocol}", "")
        if not k.get("sasl_password"):
            raise ConfigError(
                f"config kafka.sasl_password is required with {protocol} (set STREAMS_KAFKA_SASL_PASSWORD)"
            )
    for key in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
        value = _typed(k, key, str, "kafka")
        _require(not value or Path(value).is_file(), f"kafka.{key}", "file does not exist", value)
    return protocol, mechanism


def _kafka_settings(k: Mapping[str, Any]) -> KafkaSettings:
    version = _typed(k, "version", str, "kafka")
    _require(bool(_KAFKA_VERSION.match(version)), "kafka.version", "must be a Kafka 3.9.x or 4.x version", version)
    protocol, mechanism = _kafka_security(k)
    kafka = KafkaSettings(
        version=version,
        host=_typed(k, "host", str, "kafka").strip(),
        port=_port(k, "port", "kafka"),
        controller_port=_port(k, "controller_port", "kafka"),
        home=_path(_typed(k, "home", str, "kafka")),
        heap=_typed(k, "heap", str, "kafka"),
        security_protocol=protocol,
        sasl_mechanism=mechanism,
        sasl_username=_typed(k, "sasl_username", str, "kafka"),
        sasl_password=_typed(k, "sasl_password", str, "kafka"),
        ssl_cafile=k["ssl_cafile"],
        ssl_certfile=k["ssl_certfile"],
        ssl_keyfile=k["ssl_keyfile"],
        servers=_servers(_typed(k, "bootstrap_servers", str, "kafka")),
        group_min_session_timeout_ms=_between(k, "group_min_session_timeout_ms", "kafka", 1, 2**31 - 1, int),
        group_max_session_timeout_ms=_between(k, "group_max_session_timeout_ms", "kafka", 1, 2**31 - 1, int),
    )
    _require(bool(kafka.host), "kafka.host", "must not be empty", kafka.host)
    _require(
        kafka.port != kafka.controller_port,
        "kafka.controller_port",
        "must differ from kafka.port",
        kafka.controller_port,
    )
    _require(bool(re.match(r"^\d+[mMgG]$", kafka.heap)), "kafka.heap", "must look like 512m or 1g", kafka.heap)
    _require(
        kafka.group_min_session_timeout_ms <= kafka.group_max_session_timeout_ms,
        "kafka.group_min_session_timeout_ms",
        "must not exceed kafka.group_max_session_timeout_ms",
        kafka.group_min_session_timeout_ms,
    )
    return kafka


def _topic_settings(t: Mapping[str, Any], key: str) -> TopicSettings:
    section = t.get(key)
    if not isinstance(section, dict):
        raise ConfigError(f"config section [topics.{key}] is missing")
    name = _typed(section, "name", str, f"topics.{key}")
    _require(bool(_TOPIC_NAME.match(name)), f"topics.{key}.name", "is not a valid Kafka topic name", name)
    compacted = section.get("compacted", False)
    _require(isinstance(compacted, bool), f"topics.{key}.compacted", "must be true or false", compacted)
    return TopicSettings(
        name=name, retention_ms=_positive(section, "retention_ms", f"topics.{key}"), compacted=compacted
    )


def _topics_settings(t: Mapping[str, Any]) -> TopicsSettings:
    topics = TopicsSettings(
        partitions=_between(t, "partitions", "topics", 1, 10000, int),
        replication_factor=_between(t, "replication_factor", "topics", 1, 32767, int),
        max_message_bytes=_between(t, "max_message_bytes", "topics", 1024, MAX_MESSAGE_BYTES, int),
        raw=_topic_settings(t, "raw"),
        enriched=_topic_settings(t, "enriched"),
        casualties=_topic_settings(t, "casualties"),
        dead_letter=_topic_settings(t, "dead_letter"),
        incident_reports=_topic_settings(t, "incident_reports"),
        incidents=_topic_settings(t, "incidents"),
    )
    names = [x.name for x in topics.all()]
    _require(len(set(names)) == len(names), "topics.*.name", "topic names must be distinct", names)
    return topics


def _worker_settings(w: Mapping[str, Any], topics: TopicsSettings, kafka: KafkaSettings) -> WorkerSettings:
    worker = WorkerSettings(
        app_id=_typed(w, "app_id", str, "worker"),
        role=_typed(w, "role", str, "worker"),
        batch_size=_between(w, "batch_size", "worker", 1, 1024, int),
        batch_within_seconds=_between(w, "batch_within_seconds", "worker", 0.001, 10),
        long_article_chars=_positive(w, "long_article_chars", "worker"),
        web_host=_typed(w, "web_host", str, "worker").strip(),
        web_port=_port(w, "web_port", "worker"),
        session_timeout_seconds=_timeout(w, "session_timeout_seconds", "worker"),
        request_timeout_seconds=_timeout(w, "request_timeout_seconds", "worker"),
        producer_timeout_seconds=_timeout(w, "producer_timeout_seconds", "worker", low=1),
        producer_linger_seconds=_between(w, "producer_linger_seconds", "worker", 0, 1),
        producer_batch_bytes=_positive(w, "producer_batch_bytes", "worker"),
        switch_interval_seconds=_between(w, "switch_interval_seconds", "worker", 0.0001, 0.5),
        redelivery_check_seconds=_between(w, "redelivery_check_seconds", "worker", 0.1, 3600),
        data_dir=_path(_typed(w, "data_dir", str, "worker")),
        join_timeout_seconds=_between(w, "join_timeout_seconds", "worker", 30, 86400),
        shutdown_timeout_seconds=_between(w, "shutdown_timeout_seconds", "worker", 5, 3600),
    )
    _require(worker.role in ROLES, "worker.role", f"must be one of {', '.join(ROLES)}", worker.role)
    _require(bool(_APP_ID.match(worker.app_id)), "worker.app_id", "must be 1-200 of A-Z a-z 0-9 . _ -", worker.app_id)
    _require(
        len(f"{worker.app_id}-{topics.raw.name}-by-id") <= 249,
        "worker.app_id",
        "with topics.raw.name it names the topic <app_id>-<raw>-by-id, which must fit in 249 characters",
        worker.app_id,
    )
    _require(bool(worker.web_host), "worker.web_host", "must not be empty", worker.web_host)
    _require(
        worker.producer_batch_bytes <= topics.max_message_bytes,
        "worker.producer_batch_bytes",
        "must not exceed topics.max_message_bytes (the producer's request size)",
        worker.producer_batch_bytes,
    )
    _check_worker_timeouts(worker, kafka)
    return worker


def _limit_settings(lim: Mapping[str, Any], topics: TopicsSettings) -> LimitSettings:
    limits = LimitSettings(
        max_body_chars=_positive(lim, "max_body_chars", "limits"),
        max_id_chars=_between(lim, "max_id_chars", "limits", 1, 65536, int),
    )
    _require(
        limits.max_body_chars * 4 < topics.max_message_bytes,
        "limits.max_body_chars",
        "a body of this many characters must fit in topics.max_message_bytes (4 bytes a character)",
        limits.max_body_chars,
    )
    return limits


# ---- loading ---------------------------------------------------------------------------------------------------


_WARNED: set[str] = set()


def load_settings(
    path: Path | str | None = None, environ: Mapping[str, str] | None = None, check_system: bool = True
) -> Settings:
    """Read the TOML file (`path`, else `config_file()`), apply environment overrides and validate; with
    `check_system`, the hosts must resolve. Unknown STREAMS_* variables are logged once each, as warnings."""
    environ = os.environ if environ is None else environ
    path = Path(path) if path is not None else config_file(environ)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} not found (set STREAMS_CONFIG_FILE or --config)") from None
    except IsADirectoryError:
        raise ConfigError(f"configuration file {path} is a folder, not a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None
    for warning in unknown_variables(raw, environ):
        if warning not in _WARNED:
            _WARNED.add(warning)
            log.warning("%s", warning)
    settings = parse_settings(_apply_env(raw, environ))
    if check_system:
        check_hosts(settings)
    return settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, loaded once (from STREAMS_CONFIG_FILE when set)."""
    return load_settings()
