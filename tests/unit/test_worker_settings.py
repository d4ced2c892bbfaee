"""What the worker hands faust from the settings: every bootstrap server, the web address to bind, the stop bound."""

import faust

from streams.config import CONFIG_FILE, load_settings
from streams.worker.app import faust_settings
from streams.worker.lifecycle import BoundedStopWorker


def test_faust_gets_every_bootstrap_server_the_bind_address_and_the_stop_bound():
    settings = load_settings(
        CONFIG_FILE,
        environ={
            "STREAMS_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092,localhost:19093",
            "STREAMS_WORKER_WEB_HOST": "127.0.0.1",
            "STREAMS_WORKER_SHUTDOWN_TIMEOUT_SECONDS": "12",
        },
    )
    options = faust_settings(settings)
    app = faust.App("worker-settings-test", **options)
    assert [str(url) for url in app.conf.broker] == ["kafka://127.0.0.1:19092", "kafka://localhost:19093"]
    assert app.conf.web_bind == "127.0.0.1" and app.conf.web_host == "127.0.0.1"
    assert issubclass(app.conf.Worker, BoundedStopWorker) and app.conf.Worker.stop_timeout_seconds == 12
    assert options["datadir"] == str(settings.worker_state_dir)
    assert settings.worker_state_dir.parent.name == "kafka-127.0.0.1_19092_localhost_19093"
