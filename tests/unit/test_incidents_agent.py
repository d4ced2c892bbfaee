"""The incident agents declared on a faust app and run in memory (agent.test_context): the region and
incident tables."""

from __future__ import annotations

import asyncio
import types

import faust

from streams.incidents import agent
from streams.incidents.report import incident_report
from streams.kafka import codec
from tests.unit.test_incidents import load_cases, made_up_event


def test_the_matching_agent_keeps_one_incident_per_region_and_counts_a_replay_once():
    codec.register()
    app = faust.App("incidents-agent-test", store="memory://", value_serializer="raw", key_serializer="raw")
    finished: list = []
    topics = types.SimpleNamespace(
        partitions=2,
        incident_reports=types.SimpleNamespace(name="incidents.reports"),
        incidents=types.SimpleNamespace(name="incidents"),
    )
    regions, states = agent.register(app, types.SimpleNamespace(topics=topics), finished.extend)
    assert {"match_incidents"} <= {name.rsplit(".", 1)[-1] for name in app.agents}
    case = next(c for c in load_cases() if c["name"] == "a restated toll joins")
    reports = [incident_report(made_up_event(spec)) for spec in case["articles"]]
    match = next(a for name, a in app.agents.items() if name.endswith("match_incidents"))

    async def run() -> None:
        async with match.test_context() as tested:
            for report in [*reports, reports[0]]:
                await tested.put(key=report["region"].encode(), value=report)

    asyncio.run(run())
    assert len(finished) == 3
    [index] = list(regions.values())
    [incident] = [states[key] for key in index["open"]]
    assert [s["article_id"] for s in incident["record"]["sources"]] == ["a1", "a2"]
    assert incident["record"]["version"] == 2
