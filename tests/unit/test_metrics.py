"""The worker's metrics: series known in advance exist at 0, and the casualty totals are a gauge of the rollups."""

from __future__ import annotations

import time

from streams import metrics
from streams.config import load_settings
from streams.rollups.windows import WINDOWS


def exposition_lines() -> list[str]:
    return metrics.exposition()[0].decode().splitlines()


def test_counters_with_known_labels_are_exported_at_zero_before_anything_happens():
    metrics.prime(load_settings(environ={}).topics)
    lines = exposition_lines()
    for reason in ("not_json", "missing_field", "duplicate_id_conflict", "enrichment_failed"):
        assert any(line.startswith(f'streams_dead_letters_total{{reason="{reason}"}} ') for line in lines), reason
    assert any(line.startswith('streams_figures_extracted_total{outcome="kidnapped"} ') for line in lines)
    assert any(line.startswith('streams_messages_out_total{topic="articles.enriched"} ') for line in lines)
    assert any(line.startswith('streams_delivery_corrections_total{kind="redelivered"} ') for line in lines)


class FakeRollups:
    """The one method of `Rollups` the gauge reads: window items of the country rows."""

    def casualty_items(self, by: str, window: str, now: float):
        start = WINDOWS[window].current_start(now)
        rows = {
            "SY": {"country": "SY", "outcomes": {"killed": {"total": 7}, "injured": {"total": 2}}},
            "AF": {"country": "AF", "outcomes": {"killed": {"total": 12}}},
        }
        return [((key, (start, start + WINDOWS[window].size)), row) for key, row in rows.items()]


def test_casualty_totals_are_a_gauge_of_the_rollups_windows():
    totals = metrics.casualty_totals(FakeRollups(), time.time())  # type: ignore[arg-type]
    assert totals[("killed", "SY", "24h")] == 7 and totals[("killed", "AF", "7d")] == 12
    assert totals[("injured", "SY", "7d")] == 2
    metrics.CASUALTY_TOTALS.rollups = FakeRollups()  # type: ignore[assignment]
    try:
        lines = exposition_lines()
    finally:
        metrics.CASUALTY_TOTALS.rollups = None
    assert 'streams_casualties{country="AF",outcome="killed",window="24h"} 12.0' in lines
    assert "# TYPE streams_casualties gauge" in lines


def test_the_casualty_gauge_is_listed_before_any_rollups_exist():
    assert "streams_casualties" in metrics.exposed_names()
