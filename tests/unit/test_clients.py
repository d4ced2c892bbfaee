"""The security configuration path: settings to kafka-python options and faust credentials."""

import faust

from streams.config import CONFIG_FILE, load_settings
from streams.kafka.clients import faust_credentials, security_options


def test_plaintext_by_default():
    settings = load_settings(CONFIG_FILE, environ={})
    assert security_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert faust_credentials(settings) is None


def test_sasl_ssl_reaches_both_clients():
    settings = load_settings(
        CONFIG_FILE,
        environ={
            "STREAMS_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "STREAMS_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
            "STREAMS_KAFKA_SASL_USERNAME": "pipeline",
            "STREAMS_KAFKA_SASL_PASSWORD": "pw",
        },
    )
    options = security_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-256"
    assert options["sasl_plain_username"] == "pipeline" and options["sasl_plain_password"] == "pw"
    assert options["ssl_check_hostname"] is True
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.username == "pipeline" and credentials.ssl_context is not None
