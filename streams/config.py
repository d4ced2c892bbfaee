"""Configuration: `config/streams.toml` overridden by `STREAMS_<SECTION>_<KEY>` environment variables.

Everything is validated once, at start-up, so a bad value stops the process with a message naming the key
instead of failing later inside a Kafka client.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = Path(os.environ.get("STREAMS_CONFIG_DIR", REPO_ROOT / "config"))
CONFIG_FILE = CONFIG_DIR / "streams.toml"

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# What a worker process runs: everything, only the enrichment, or only the rollups fed by the enrichment's output.
ROLES = ("all", "enrich", "rollups")
_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_KAFKA_VERSION = re.compile(r"^(3\.9|4\.\d+)\.\d+$")


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the key and the rule."""


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

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

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

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict safe to log: secrets are replaced by '***'."""
        out = {
            "kafka": {k: v for k, v in vars(self.kafka).items()},
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


def _apply_env(raw: dict[str, Any], environ: Mapping[str, str], prefix: str = "STREAMS") -> dict[str, Any]:
    """Return `raw` with every leaf overridden by its environment variable, coerced to the leaf's type."""
    result: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}_{key}".upper()
        if isinstance(value, dict):
            result[key] = _apply_env(value, environ, name)
        elif name in environ:
            result[key] = _coerce(name, environ[name], value)
        else:
            result[key] = value
    return result


def _coerce(name: str, text: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r}: expected {type(default).__name__}") from None
    return text


def _require(condition: bool, key: str, rule: str, value: Any) -> None:
    if not condition:
        raise ConfigError(f"config {key}={value!r}: {rule}")


def _typed(section: Mapping[str, Any], key: str, kind: type, path: str) -> Any:
    if key not in section:
        raise ConfigError(f"config {path}.{key} is missing")
    value = section[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    _require(ok, f"{path}.{key}", f"must be {kind.__name__}", value)
    return value


def _port(section: Mapping[str, Any], key: str, path: str) -> int:
    value = _typed(section, key, int, path)
    _require(0 < value < 65536, f"{path}.{key}", "must be a TCP port (1-65535)", value)
    return value


def _positive(section: Mapping[str, Any], key: str, path: str, kind: type = int) -> Any:
    value = _typed(section, key, kind, path)
    _require(value > 0, f"{path}.{key}", "must be positive", value)
    return value


def _path(text: str) -> Path:
    path = Path(text)
    return path if path.is_absolute() else REPO_ROOT / path


def parse_settings(raw: Mapping[str, Any]) -> Settings:
    """Validate a raw configuration mapping (TOML plus overrides) into `Settings`, section by section."""
    for section in ("kafka", "topics", "worker", "limits"):
        if not isinstance(raw.get(section), dict):
            raise ConfigError(f"config section [{section}] is missing")
    kafka = _kafka_settings(raw["kafka"])
    topics = _topics_settings(raw["topics"])
    worker = _worker_settings(raw["worker"], topics)
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
        host=_typed(k, "host", str, "kafka"),
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
    )
    _require(
        kafka.port != kafka.controller_port,
        "kafka.controller_port",
        "must differ from kafka.port",
        kafka.controller_port,
    )
    _require(bool(re.match(r"^\d+[mMgG]$", kafka.heap)), "kafka.heap", "must look like 512m or 1g", kafka.heap)
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
        partitions=_positive(t, "partitions", "topics"),
        replication_factor=_positive(t, "replication_factor", "topics"),
        max_message_bytes=_positive(t, "max_message_bytes", "topics"),
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


def _worker_settings(w: Mapping[str, Any], topics: TopicsSettings) -> WorkerSettings:
    worker = WorkerSettings(
        app_id=_typed(w, "app_id", str, "worker"),
        role=_typed(w, "role", str, "worker"),
        batch_size=_positive(w, "batch_size", "worker"),
        batch_within_seconds=_positive(w, "batch_within_seconds", "worker", float),
        long_article_chars=_positive(w, "long_article_chars", "worker"),
        web_host=_typed(w, "web_host", str, "worker"),
        web_port=_port(w, "web_port", "worker"),
        session_timeout_seconds=_positive(w, "session_timeout_seconds", "worker", float),
        request_timeout_seconds=_positive(w, "request_timeout_seconds", "worker", float),
        producer_timeout_seconds=_positive(w, "producer_timeout_seconds", "worker", float),
        producer_linger_seconds=_typed(w, "producer_linger_seconds", float, "worker"),
        producer_batch_bytes=_positive(w, "producer_batch_bytes", "worker"),
        switch_interval_seconds=_positive(w, "switch_interval_seconds", "worker", float),
        redelivery_check_seconds=_positive(w, "redelivery_check_seconds", "worker", float),
        data_dir=_path(_typed(w, "data_dir", str, "worker")),
    )
    _require(worker.role in ROLES, "worker.role", f"must be one of {', '.join(ROLES)}", worker.role)
    _require(
        0 <= worker.producer_linger_seconds <= 1,
        "worker.producer_linger_seconds",
        "must be between 0 and 1",
        worker.producer_linger_seconds,
    )
    _require(
        worker.producer_batch_bytes <= topics.max_message_bytes,
        "worker.producer_batch_bytes",
        "must not exceed topics.max_message_bytes (the producer's request size)",
        worker.producer_batch_bytes,
    )
    _require(
        worker.switch_interval_seconds <= 0.5,
        "worker.switch_interval_seconds",
        "must be at most 0.5",
        worker.switch_interval_seconds,
    )
    _require(worker.batch_size <= 1024, "worker.batch_size", "must be at most 1024 (bounded memory)", worker.batch_size)
    _require(
        worker.request_timeout_seconds >= worker.session_timeout_seconds,
        "worker.request_timeout_seconds",
        "must not be below worker.session_timeout_seconds",
        worker.request_timeout_seconds,
    )
    return worker


def _limit_settings(lim: Mapping[str, Any], topics: TopicsSettings) -> LimitSettings:
    limits = LimitSettings(
        max_body_chars=_positive(lim, "max_body_chars", "limits"),
        max_id_chars=_positive(lim, "max_id_chars", "limits"),
    )
    _require(
        limits.max_body_chars * 4 < topics.max_message_bytes,
        "limits.max_body_chars",
        "a body of this many characters must fit in topics.max_message_bytes (4 bytes a character)",
        limits.max_body_chars,
    )
    return limits


def load_settings(path: Path = CONFIG_FILE, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the TOML file, apply environment overrides and validate."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} not found (set STREAMS_CONFIG_DIR)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None
    return parse_settings(_apply_env(raw, os.environ if environ is None else environ))


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()
