"""The incident stage on the stream: enriched articles in, one record per incident change out.

The enrichment agent sends each enriched article's incident report (`streams.incidents.report`, computed on
the NLP thread beside the article) to the reports topic keyed by the report's region (its country), so that
every incident an article could join lives in the partition that receives it. One agent, with concurrency 1 (it
writes tables and must keep order; faust #606), `match_incidents`, consumes the reports topic and keeps two
tables, both written under the consumed event so that their changelog messages go to the region's partition:
* `incident-regions`: region -> {region, ids of its open incidents}, a few dozen bytes per open incident,
  rewritten only when an incident opens or closes;
* `incident-states`: incident id -> the incident's state (its record, its reports' match features, the ids it
  absorbed), rewritten when the incident changes, dropped when it closes or is absorbed.
Every change is sent to the compacted `incidents` topic keyed by incident id (a tombstone when an incident
loses its only report). Incident states are written before the region index, so a crash between the two
leaves either an index naming an incident with no state (skipped, and reopened by the replayed report under
the same id) or a state no index names (overwritten by the replayed report).

Delivery is at-least-once, as elsewhere in the worker: `finish` marks an event done only after its sends and
table writes are queued, and the producer is drained before every offset commit. A replayed report finds its
article id and event id in the region's incidents, changes nothing and republishes the incident's current
record (the same version), so a replay never counts an article twice, and a crash between the state write and
the send loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

import faust
import orjson

from streams.incidents.matcher import MatchRule
from streams.incidents.report import UNKNOWN_REGION
from streams.incidents.state import apply_report, new_region_state
from streams.kafka import codec
from streams.kafka.tables import keyed_table

log = logging.getLogger(__name__)

REGION_TABLE = "incident-regions"
STATE_TABLE = "incident-states"


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
) -> tuple[Any, Any]:
    """Declare the matcher: its tables and agent over the reports topic, and the compacted `incidents` topic it
    writes; returns the region and incident-state tables. `finish` is the delivery guard's, called once an
    event's work is queued."""
    reports_topic = incident_reports_topic(app, settings)
    # raw values, encoded here: faust's JSON codecs turn None into b"null", a tombstone must be a null value
    incidents_topic = app.topic(
        settings.topics.incidents.name,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.topics.partitions,
    )
    regions = keyed_table(app, REGION_TABLE, "open incidents of each region (country)")
    states = keyed_table(app, STATE_TABLE, "each open incident: its record and its reports' match features")

    @app.agent(reports_topic, name="match_incidents", concurrency=1)
    async def match_incidents(stream: faust.StreamT) -> None:
        async for event in stream.events():
            publish_changes(regions, states, incidents_topic, event.value, rule)
            finish((event,))

    return regions, states


def load_region(regions: MutableMapping, states: MutableMapping, region: str) -> tuple[dict, dict]:
    """The region's index and its state with every open incident the index names (missing ones skipped)."""
    index = regions.get(region) or {"region": region, "open": []}
    state = new_region_state(region)
    for key in index["open"]:
        entry = states.get(key)
        if entry is not None:
            state["incidents"][key] = entry
    return index, state


def publish_changes(
    regions: MutableMapping, states: MutableMapping, incidents_topic: Any, report: dict, rule: MatchRule
) -> list[str]:
    """Apply one report to its region's state, write back what changed and queue every record; the ids sent."""
    region = report["region"]
    if region == UNKNOWN_REGION:
        return []
    index, state = load_region(regions, states, region)
    applied = apply_report(state, report, rule)
    for key in sorted(applied.written):
        states[key] = state["incidents"][key]
    for key in sorted(applied.dropped):
        if key in states:
            del states[key]
    new_index = {"region": region, "open": sorted(state["incidents"])}
    if new_index != {"region": index["region"], "open": index["open"]}:
        regions[region] = new_index
    for incident_id, record in applied.publish:
        incidents_topic.send_soon(key=incident_id.encode(), value=None if record is None else orjson.dumps(record))
    return [incident_id for incident_id, _ in applied.publish]
