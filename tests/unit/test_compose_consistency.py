"""docker-compose.yml, config/prometheus.yml, the alert rules and the Grafana dashboard agree with the code and
their formats: the Compose Specification, service names and ports, healthchecks, the scrape target, provisioning
paths, the dashboard's datasource variable, and every metric name a panel or an alert queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from streams import metrics
from streams.config import load_settings

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config"


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def dashboard() -> dict:
    return json.loads((CONFIG / "grafana" / "dashboards" / "news-streams.json").read_text())


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]


def alert_rules() -> list[dict]:
    rules = yaml.safe_load((CONFIG / "prometheus-alerts.yml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"]]


def test_compose_file_follows_the_compose_specification():
    """The schema `docker compose config` checks against (Compose Specification, as Debian's docker-compose
    1.29 ships it in compose/config/compose_spec.json)."""
    schema = json.loads((REPO / "tests/fixtures/compose/compose-spec.json").read_text())
    errors = [error.message for error in jsonschema.Draft201909Validator(schema).iter_errors(compose())]
    assert errors == []


def test_every_long_running_service_has_a_healthcheck():
    services = compose()["services"]
    for name in ("kafka", "worker", "prometheus", "grafana"):
        assert services[name]["healthcheck"]["test"], name
    worker_check = " ".join(services["worker"]["healthcheck"]["test"])
    assert f"127.0.0.1:{services['worker']['environment']['STREAMS_WORKER_WEB_PORT']}/health" in worker_check


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
    board = dashboard()
    variables = {variable["name"]: variable for variable in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    assert variables["datasource"]["current"]["value"] == uid
    for panel in board["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert {target["datasource"]["uid"] for target in panel["targets"]} == {"${datasource}"}


def test_rates_use_the_rate_interval_and_totals_come_from_gauges():
    for expr in dashboard_exprs():
        for window in re.findall(r"\b(?:rate|irate|increase)\([^\[]*\[([^\]]+)\]", expr):
            assert window == "$__rate_interval", expr
        assert "streams_casualties_counted_total" not in expr, f"totals from counter increases: {expr}"


def test_alert_rules_cover_stalls_lag_and_dead_letters_with_known_metrics():
    mounts = compose()["services"]["prometheus"]["volumes"]
    assert "./config/prometheus-alerts.yml:/etc/prometheus/alerts.yml:ro" in mounts
    assert "/etc/prometheus/alerts.yml" in yaml.safe_load((CONFIG / "prometheus.yml").read_text())["rule_files"]
    rules = {rule["alert"]: rule for rule in alert_rules()}
    assert {"StreamsNothingEnriched", "StreamsConsumerLagGrowing", "StreamsDeadLettersRising"} <= set(rules)
    enriched = load_settings(environ={}).topics.enriched.name
    assert f'topic="{enriched}"' in rules["StreamsNothingEnriched"]["expr"]
    assert "[5m]" in rules["StreamsNothingEnriched"]["expr"]
    exposed = metrics.exposed_names()
    for rule in rules.values():
        assert rule["annotations"]["summary"] and rule["labels"]["severity"]
        queried = set(re.findall(r"\bstreams_[a-z0-9_]+", re.sub(r"\{[^}]*\}", "", rule["expr"])))
        assert queried <= exposed, f"{rule['alert']}: unknown {sorted(queried - exposed)}"


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
