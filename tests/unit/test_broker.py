"""The local broker's generated configuration, for the 4.x default and the 3.9.x line."""

from streams.config import CONFIG_FILE, load_settings
from streams.kafka import broker


def test_server_properties_is_a_single_node_kraft_broker_on_loopback():
    settings = load_settings(
        CONFIG_FILE, environ={"STREAMS_KAFKA_PORT": "29092", "STREAMS_KAFKA_CONTROLLER_PORT": "29093"}
    )
    properties = dict(
        line.split("=", 1)
        for line in broker.render_properties(settings).splitlines()
        if line and not line.startswith("#")
    )
    assert properties["process.roles"] == "broker,controller"
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:29093"
    assert properties["offsets.topic.replication.factor"] == "1"
    assert properties["message.max.bytes"] == str(settings.topics.max_message_bytes)
    assert properties["log.dirs"].endswith("broker-29092/data")


def test_logging_backend_follows_the_kafka_line():
    four = load_settings(CONFIG_FILE, environ={})
    three = load_settings(CONFIG_FILE, environ={"STREAMS_KAFKA_VERSION": "3.9.1"})
    assert any("log4j2.configurationFile" in a for a in broker._java_command(four.kafka, "kafka.Kafka"))
    assert any("log4j.configuration=" in a for a in broker._java_command(three.kafka, "kafka.Kafka"))
    assert broker.paths_for(three.kafka).jars.name == "3.9.1"
