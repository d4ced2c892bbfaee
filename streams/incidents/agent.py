"""The incident stage on the stream: enriched articles in, one record per incident change out.

Two agents, each with concurrency 1 (they write tables or must keep order; faust #606):
* `route_incident_reports` consumes `articles.enriched` (keyed by article id), turns each article into its
  incident report and sends it to the reports topic keyed by the report's region (country + admin1), so that
  every incident an article could join lives in the partition that receives it;
* `match_incidents` consumes the reports topic and keeps one table, `incident-regions` (region -> the region
  state of `streams.incidents.state`), written under the consumed event so its changelog message goes to the
  region's partition; every change is sent to the compacted `incidents` topic keyed by incident id (a
  tombstone when an incident loses its only report).

Delivery is at-least-once, as elsewhere in the worker: `finish` marks an event done only after its sends and
table write are queued, and the producer is drained before every offset commit. A replayed report finds its
article id and event id in the region state, changes nothing and republishes the incident's current record (the
same version), so a replay never counts an article twice, and a crash between the state write and the send
loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import faust
import orjson

from streams.incidents.matcher import MatchRule
from streams.incidents.report import incident_report
from streams.incidents.state import apply_report, new_region_state
from streams.kafka import codec
from streams.kafka.tables import keyed_table

log = logging.getLogger(__name__)

REPORTS_TOPIC = "incidents.reports"
INCIDENTS_TOPIC = "incidents"
REGION_TABLE = "incident-regions"


def register(
    app: faust.App,
    settings: Any,
    enriched_topic: faust.TopicT,
    finish: Callable[[Iterable[faust.EventT]], None],
    *,
    reports_topic_name: str = REPORTS_TOPIC,
    incidents_topic_name: str = INCIDENTS_TOPIC,
    rule: MatchRule = MatchRule(),
    region_level: str = "admin1",
) -> Any:
    """Declare the incident stage's topics, table and agents; returns the region table.

    `settings` is the worker's settings (the partition count of the reports topic comes from
    `settings.topics.partitions`); `finish` is the delivery guard's, called once an event's work is queued.
    """
    partitions = settings.topics.partitions
    reports_topic = app.topic(
        reports_topic_name, key_serializer="raw", value_serializer=codec.CODEC_NAME, partitions=partitions
    )
    # raw values, encoded here: faust's JSON codecs turn None into b"null", a tombstone must be a null value
    incidents_topic = app.topic(
        incidents_topic_name, key_serializer="raw", value_serializer="raw", partitions=partitions
    )
    regions = keyed_table(app, REGION_TABLE, "incidents of each region (country + admin1) and the articles they hold")

    @app.agent(enriched_topic, name="route_incident_reports", concurrency=1)
    async def route_incident_reports(stream: faust.StreamT) -> None:
        async for event in stream.events():
            try:
                report = incident_report(event.value, region_level)
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("no incident report for %r: %r", getattr(event.message, "key", None), exc)
            else:
                reports_topic.send_soon(key=report["region"].encode(), value=report)
            finish((event,))

    @app.agent(reports_topic, name="match_incidents", concurrency=1)
    async def match_incidents(stream: faust.StreamT) -> None:
        async for event in stream.events():
            publish_changes(regions, incidents_topic, event.value, rule)
            finish((event,))

    return regions


def publish_changes(regions: Any, incidents_topic: Any, report: dict, rule: MatchRule) -> list[str]:
    """Apply one report to its region's state, write the state back and queue every change; the ids sent."""
    region = report["region"]
    state = regions.get(region) or new_region_state(region)
    changes = apply_report(state, report, rule)
    if not changes:
        return []
    regions[region] = state
    for incident_id, record in changes:
        incidents_topic.send_soon(key=incident_id.encode(), value=None if record is None else orjson.dumps(record))
    return [incident_id for incident_id, _ in changes]
