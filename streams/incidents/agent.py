"""The incident stage on the stream: enriched articles in, one record per incident change out.

The enrichment agent sends each enriched article's incident report (`streams.incidents.report`, computed on
the NLP thread beside the article) to the reports topic keyed by the report's region (country + admin1), so that
every incident an article could join lives in the partition that receives it. One agent, with concurrency 1 (it
writes a table and must keep order; faust #606):
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
from streams.incidents.state import apply_report, new_region_state
from streams.kafka import codec
from streams.kafka.tables import keyed_table

log = logging.getLogger(__name__)

REGION_TABLE = "incident-regions"


def incident_reports_topic(app: faust.App, settings: Any) -> faust.TopicT:
    """The topic of incident reports (`topics.incident_reports`), keyed by region: written by the enrichment
    agent beside each enriched article, read by the matcher."""
    return app.topic(
        settings.topics.incident_reports.name,
        key_serializer="raw",
        value_serializer=codec.CODEC_NAME,
        partitions=settings.topics.partitions,
    )


def register(
    app: faust.App,
    settings: Any,
    finish: Callable[[Iterable[faust.EventT]], None],
    *,
    rule: MatchRule = MatchRule(),
) -> Any:
    """Declare the matcher: its table and agent over the reports topic, and the compacted `incidents` topic it
    writes; returns the region table. `finish` is the delivery guard's, called once an event's work is queued."""
    reports_topic = incident_reports_topic(app, settings)
    # raw values, encoded here: faust's JSON codecs turn None into b"null", a tombstone must be a null value
    incidents_topic = app.topic(
        settings.topics.incidents.name,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.topics.partitions,
    )
    regions = keyed_table(app, REGION_TABLE, "incidents of each region (country + admin1) and the articles they hold")

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
