import logging
import socket

import pytest

from streams.config import CONFIG_FILE, ConfigError, check_worker_environment, load_settings


def load(**env):
    return load_settings(CONFIG_FILE, environ=env)


def test_defaults_load_and_validate():
    settings = load()
    assert settings.kafka.bootstrap_servers == "127.0.0.1:9092"
    assert settings.topics.raw.name == "articles.raw"
    assert len({t.name for t in settings.topics.all()}) == 6


def test_environment_overrides_are_typed():
    settings = load(
        STREAMS_KAFKA_PORT="19092", STREAMS_WORKER_BATCH_WITHIN_SECONDS="0.25", STREAMS_TOPICS_RAW_NAME="other.raw"
    )
    assert settings.kafka.port == 19092
    assert settings.worker.batch_within_seconds == 0.25
    assert settings.topics.raw.name == "other.raw"


def test_rollups_processes_form_a_consumer_group_of_their_own():
    assert load().worker.group_id == "news-streams"
    assert load(STREAMS_WORKER_ROLE="enrich").worker.group_id == "news-streams"
    assert load(STREAMS_WORKER_ROLE="rollups").worker.group_id == "news-streams-rollups"


@pytest.mark.parametrize(
    "env, key",
    [
        ({"STREAMS_KAFKA_PORT": "ninety"}, "STREAMS_KAFKA_PORT"),
        ({"STREAMS_KAFKA_PORT": "70000"}, "kafka.port"),
        ({"STREAMS_KAFKA_VERSION": "2.8.0"}, "kafka.version"),
        ({"STREAMS_KAFKA_SECURITY_PROTOCOL": "TLS"}, "kafka.security_protocol"),
        ({"STREAMS_TOPICS_RAW_NAME": "bad name!"}, "topics.raw.name"),
        ({"STREAMS_TOPICS_ENRICHED_NAME": "articles.raw"}, "topic names must be distinct"),
        ({"STREAMS_WORKER_ROLE": "both"}, "worker.role"),
        ({"STREAMS_WORKER_SWITCH_INTERVAL_SECONDS": "2"}, "worker.switch_interval_seconds"),
        ({"STREAMS_WORKER_PRODUCER_LINGER_SECONDS": "5"}, "worker.producer_linger_seconds"),
        ({"STREAMS_WORKER_PRODUCER_BATCH_BYTES": "0"}, "worker.producer_batch_bytes"),
        ({"STREAMS_WORKER_PRODUCER_BATCH_BYTES": "33554432"}, "worker.producer_batch_bytes"),
        ({"STREAMS_WORKER_BATCH_SIZE": "0"}, "worker.batch_size"),
        ({"STREAMS_WORKER_BATCH_SIZE": "100000"}, "worker.batch_size"),
        ({"STREAMS_LIMITS_MAX_BODY_CHARS": "9000000"}, "limits.max_body_chars"),
        ({"STREAMS_KAFKA_SSL_CAFILE": "/no/such/ca.pem"}, "kafka.ssl_cafile"),
        ({"STREAMS_WORKER_BATCH_WITHIN_SECONDS": "inf"}, "worker.batch_within_seconds"),
        ({"STREAMS_WORKER_BATCH_WITHIN_SECONDS": "nan"}, "worker.batch_within_seconds"),
        ({"STREAMS_WORKER_BATCH_WITHIN_SECONDS": "60"}, "worker.batch_within_seconds"),
        ({"STREAMS_WORKER_PRODUCER_TIMEOUT_SECONDS": "inf"}, "worker.producer_timeout_seconds"),
        ({"STREAMS_WORKER_PRODUCER_TIMEOUT_SECONDS": "1e10"}, "worker.producer_timeout_seconds"),
        ({"STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS": "-1"}, "worker.request_timeout_seconds"),
        (
            {"STREAMS_WORKER_SESSION_TIMEOUT_SECONDS": "0.5", "STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS": "1"},
            "worker.session_timeout_seconds",
        ),
        ({"STREAMS_WORKER_SESSION_TIMEOUT_SECONDS": "3600"}, "worker.session_timeout_seconds"),
        ({"STREAMS_WORKER_SESSION_TIMEOUT_SECONDS": "45"}, "worker.request_timeout_seconds"),
        ({"STREAMS_WORKER_JOIN_TIMEOUT_SECONDS": "40"}, "worker.join_timeout_seconds"),
        ({"STREAMS_WORKER_SHUTDOWN_TIMEOUT_SECONDS": "1"}, "worker.shutdown_timeout_seconds"),
        (
            {"STREAMS_WORKER_BATCH_WITHIN_SECONDS": "5", "STREAMS_WORKER_SHUTDOWN_TIMEOUT_SECONDS": "10"},
            "worker.shutdown_timeout_seconds",
        ),
        ({"STREAMS_WORKER_REDELIVERY_CHECK_SECONDS": "inf"}, "worker.redelivery_check_seconds"),
        ({"STREAMS_WORKER_WEB_PORT": "0"}, "worker.web_port"),
        ({"STREAMS_WORKER_WEB_HOST": "256.1.1.1"}, "worker.web_host"),
        ({"STREAMS_WORKER_WEB_HOST": ""}, "worker.web_host"),
        ({"STREAMS_WORKER_APP_ID": "my app"}, "worker.app_id"),
        ({"STREAMS_KAFKA_HOST": ""}, "kafka.host"),
        ({"STREAMS_KAFKA_HOST": "no-such-host.invalid"}, "kafka.host"),
        ({"STREAMS_KAFKA_BOOTSTRAP_SERVERS": "a:9092,b"}, "kafka.bootstrap_servers"),
        ({"STREAMS_KAFKA_BOOTSTRAP_SERVERS": "a:99999"}, "kafka.bootstrap_servers"),
        ({"STREAMS_KAFKA_BOOTSTRAP_SERVERS": "no-such-host.invalid:9092"}, "kafka.bootstrap_servers"),
        ({"STREAMS_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS": "9999999"}, "kafka.group_min_session_timeout_ms"),
        ({"STREAMS_TOPICS_PARTITIONS": "0"}, "topics.partitions"),
        ({"STREAMS_TOPICS_MAX_MESSAGE_BYTES": "4294967296"}, "topics.max_message_bytes"),
    ],
)
def test_each_bad_value_gets_a_clear_error_naming_it(env, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load(**env)


def test_sasl_needs_credentials_and_password_never_shows(tmp_path):
    with pytest.raises(ConfigError, match="sasl_mechanism"):
        load(STREAMS_KAFKA_SECURITY_PROTOCOL="SASL_SSL")
    with pytest.raises(ConfigError, match="STREAMS_KAFKA_SASL_PASSWORD"):
        load(
            STREAMS_KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT",
            STREAMS_KAFKA_SASL_MECHANISM="PLAIN",
            STREAMS_KAFKA_SASL_USERNAME="svc",
        )
    settings = load(
        STREAMS_KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT",
        STREAMS_KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
        STREAMS_KAFKA_SASL_USERNAME="svc",
        STREAMS_KAFKA_SASL_PASSWORD="s3cret-value",
    )
    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings.redacted())


def test_a_rule_names_the_key_and_the_rule_in_one_line():
    with pytest.raises(ConfigError) as caught:
        load(STREAMS_WORKER_SESSION_TIMEOUT_SECONDS="0.5", STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS="1")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("config worker.session_timeout_seconds=0.5: must be between 6 and 1800")


def test_the_session_timeout_follows_the_brokers_limits_when_they_are_set():
    settings = load(
        STREAMS_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS="500",
        STREAMS_WORKER_SESSION_TIMEOUT_SECONDS="0.5",
        STREAMS_WORKER_REQUEST_TIMEOUT_SECONDS="1",
    )
    assert settings.worker.session_timeout_seconds == 0.5


def test_bootstrap_servers_override_host_and_port_everywhere():
    assert load().kafka.bootstrap_list == ["127.0.0.1:9092"]
    settings = load(STREAMS_KAFKA_BOOTSTRAP_SERVERS=" 127.0.0.1:19092, localhost:19093 ,[::1]:19094")
    assert settings.kafka.bootstrap_servers == "127.0.0.1:19092,localhost:19093,[::1]:19094"
    assert settings.kafka.bootstrap_list == ["127.0.0.1:19092", "localhost:19093", "[::1]:19094"]
    assert settings.kafka.port == 9092  # still where a local broker would listen
    assert settings.redacted()["kafka"]["bootstrap_servers"] == settings.kafka.bootstrap_servers


def test_another_configuration_file_by_path_or_by_variable(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(CONFIG_FILE.read_text().replace('app_id = "news-streams"', 'app_id = "elsewhere"'))
    assert load_settings(other, environ={}).worker.app_id == "elsewhere"
    assert load_settings(str(other), environ={}).worker.app_id == "elsewhere"
    assert load_settings(environ={"STREAMS_CONFIG_FILE": str(other)}).worker.app_id == "elsewhere"
    with pytest.raises(ConfigError, match="not found"):
        load_settings(environ={"STREAMS_CONFIG_FILE": str(tmp_path / "missing.toml")})
    with pytest.raises(ConfigError, match="is a folder"):
        load_settings(tmp_path, environ={})


def test_unknown_streams_variables_are_warned_about_by_name(caplog):
    with caplog.at_level(logging.WARNING, logger="streams.config"):
        load(STREAMS_KAFKA_PROT="19092", STREAMS_NO_SUCH_THING="1", STREAMS_KAFKA_PORT="19092")
    warned = [record.getMessage() for record in caplog.records]
    assert any("STREAMS_KAFKA_PROT" in line and "did you mean STREAMS_KAFKA_PORT?" in line for line in warned)
    assert any("STREAMS_NO_SUCH_THING" in line and "did you mean" not in line for line in warned)
    assert not any("STREAMS_KAFKA_PORT:" in line or "STREAMS_KAFKA_PORT " in line for line in warned)


def test_variables_read_elsewhere_are_not_unknown(caplog):
    with caplog.at_level(logging.WARNING, logger="streams.config"):
        load(
            STREAMS_CONFIG_DIR="x",
            STREAMS_ENTITIES_CONFIG="x",
            STREAMS_FEEDS_FETCH_TIMEOUT_SECONDS="5",
            STREAMS_WORKER_JOIN_TIMEOUT_SECONDS="200",
        )
    assert not caplog.records


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_worker_needs_a_writable_data_dir_and_an_address_of_this_machine(tmp_path):
    check_worker_environment(
        load(STREAMS_WORKER_DATA_DIR=str(tmp_path / "state"), STREAMS_WORKER_WEB_PORT=str(free_port()))
    )
    assert (tmp_path / "state").is_dir()
    with pytest.raises(ConfigError, match=r"^config worker\.data_dir='/proc/x': must be a writable folder"):
        check_worker_environment(load(STREAMS_WORKER_DATA_DIR="/proc/x"))
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match=r"worker\.data_dir"):
        check_worker_environment(load(STREAMS_WORKER_DATA_DIR=str(tmp_path / "file")))
    with pytest.raises(ConfigError, match=r"worker\.web_host=.192\.0\.2\.1.*an address of this machine"):
        check_worker_environment(load(STREAMS_WORKER_WEB_HOST="192.0.2.1", STREAMS_WORKER_DATA_DIR=str(tmp_path)))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"worker\.web_port={port}: cannot serve there"):
            check_worker_environment(load(STREAMS_WORKER_WEB_PORT=str(port), STREAMS_WORKER_DATA_DIR=str(tmp_path)))
