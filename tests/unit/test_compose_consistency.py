"""docker-compose.yml, config/prometheus.yml and the Grafana dashboard agree with the code: service names and
ports, the scrape target, provisioning paths and every metric name a panel queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from streams import metrics
from streams.config import load_settings

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config"


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def dashboard_exprs() -> list[str]:
    dashboard = json.loads((CONFIG / "grafana" / "dashboards" / "news-streams.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def test_prometheus_scrapes_the_worker_service_on_its_web_port():
    services = compose()["services"]
    worker = services["worker"]
    port = int(worker["environment"]["STREAMS_WORKER_WEB_PORT"])
    assert f"127.0.0.1:{port}:{port}" in worker["ports"]
    assert port == load_settings(environ={}).worker.web_port
    scrape = yaml.safe_load((CONFIG / "prometheus.yml").read_text())["scrape_configs"]
    targets = [
        t
        for job in scrape
        if job["metrics_path"] == "/metrics"
        for config in job["static_configs"]
        for t in config["targets"]
    ]
    assert targets == [f"worker:{port}"]
    mounts = services["prometheus"]["volumes"]
    assert "./config/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in mounts


def test_grafana_is_provisioned_with_the_prometheus_service_and_the_dashboard():
    services = compose()["services"]
    prometheus_port = services["prometheus"]["ports"][0].rsplit(":", 1)[1]
    datasource = yaml.safe_load((CONFIG / "grafana/provisioning/datasources/prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == f"http://prometheus:{prometheus_port}"
    provider = yaml.safe_load((CONFIG / "grafana/provisioning/dashboards/streams.yml").read_text())["providers"][0]
    mounts = dict(volume.split(":")[:2] for volume in services["grafana"]["volumes"])
    assert mounts["./config/grafana/dashboards"] == provider["options"]["path"]
    assert (REPO / "config/grafana/provisioning").is_dir() and "./config/grafana/provisioning" in mounts
    uid = datasource["datasources"][0]["uid"]
    dashboard = json.loads((CONFIG / "grafana" / "dashboards" / "news-streams.json").read_text())
    assert {panel["datasource"]["uid"] for panel in dashboard["panels"]} == {uid}


def test_every_metric_the_dashboard_queries_exists_in_streams_metrics():
    exposed = metrics.exposed_names()
    for expr in dashboard_exprs():
        without_labels = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)
        queried = set(re.findall(r"\bstreams_[a-z0-9_]+", without_labels))
        assert queried, f"panel queries no streams_ metric: {expr}"
        assert queried <= exposed, f"{expr}: unknown {sorted(queried - exposed)}"


def test_metric_names_follow_prometheus_conventions():
    ours = {name for name in metrics.exposed_names() if name.startswith("streams_")}
    for name in ours:
        assert re.fullmatch(r"streams_[a-z0-9_]+", name), name
    assert {
        "streams_messages_in_total",
        "streams_messages_out_total",
        "streams_dead_letters_total",
        "streams_stage_duration_seconds_bucket",
        "streams_end_to_end_latency_seconds_bucket",
        "streams_consumer_lag_messages",
        "streams_figures_extracted_total",
    } <= ours
