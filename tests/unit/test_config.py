import pytest

from streams.config import CONFIG_FILE, ConfigError, load_settings


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
