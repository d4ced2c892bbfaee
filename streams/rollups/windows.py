"""Window arithmetic: which pane and which window a time falls in, and the API rows of a window.

Windows are derived, not stored (see `streams.rollups.aggregates`). Bucketing uses faust's own window classes, so
the windows mean what faust's windowed tables mean:
- `1d`: tumbling days (`faust.TumblingWindow(1 day)`) by incident day (the dedup day of `streams.rollups.keys`):
  one row per key and day, the per-day time series, kept indefinitely.
- `24h`, `7d`: hopping windows by report time, `faust.HoppingWindow(24 h, step 1 h)` and `(7 days, step 1 day)`:
  what was reported in the last day or week, whatever the incident dates. Sums are kept per pane of one step
  (`faust.TumblingWindow(step)`); the answer is the window `HoppingWindow.earliest(now)` names, the oldest window
  still containing now, i.e. the sum of the last 24 hourly or 7 daily panes up to the current one. Panes older
  than the window's expiry (2 and 8 days) are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import faust

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass(frozen=True)
class WindowSpec:
    """One API window: `clock` says which time places an event in it ("incident" day or "report" time)."""

    name: str
    size: float
    step: float
    expires: float | None
    clock: str

    def faust_window(self) -> faust.HoppingWindow:
        return faust.HoppingWindow(self.size, self.step, expires=self.expires)

    def current_start(self, now: float) -> float:
        """Start of the full window that ends in the current step: "the last 24 hours" as of `now`."""
        return self.faust_window().earliest(now)[0]

    def bucket(self, timestamp: float) -> float:
        """Start of the pane of one step holding `timestamp` (for `1d`, the day itself)."""
        return faust.TumblingWindow(self.step).current(timestamp)[0]

    def window_buckets(self, now: float) -> tuple[float, float]:
        """[first, last] pane start of the window answered at `now`: the panes whose records faust's
        `HoppingWindow.ranges()` puts in the window starting at `current_start(now)`."""
        start = self.current_start(now)
        return start, start + self.size - self.step

    def stale(self, bucket: float, now: float) -> bool:
        """A pane too old to be in any window still answered (faust's expiry rule)."""
        return self.faust_window().stale(bucket, now)


WINDOWS: dict[str, WindowSpec] = {
    "1d": WindowSpec("1d", DAY, DAY, None, "incident"),
    "24h": WindowSpec("24h", DAY, HOUR, 2 * DAY, "report"),
    "7d": WindowSpec("7d", 7 * DAY, DAY, 8 * DAY, "report"),
}


def iso_day(value: Any) -> str | None:
    """The YYYY-MM-DD day of an ISO date or datetime string, or None when it is not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def day_timestamp(day: str) -> float:
    """Seconds since the epoch of midnight UTC starting `day`."""
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def select_outcome(row: dict, outcome: str | None) -> dict | None:
    """The row restricted to one outcome (None when it has none of it); the whole row when no outcome given."""
    if outcome is None:
        return row
    if outcome not in row.get("outcomes", {}):
        return None
    return {**row, "outcomes": {outcome: row["outcomes"][outcome]}}


def row_total(row: dict) -> int:
    return sum(values["total"] for values in row.get("outcomes", {}).values())


WindowItem = tuple[tuple[str, tuple[float, float]], dict]


def windowed_rows(items: Iterable[WindowItem], spec: WindowSpec, now: float, outcome: str | None = None) -> list[dict]:
    """API rows from window items `((key, (start, end)), value)` (`Aggregates.window_items`).

    `1d` gives one row per key and day (oldest day first); `24h`/`7d` one row per key for the window ending now
    (largest total first).
    """
    wanted = None if spec.clock == "incident" else spec.current_start(now)
    rows = []
    for (key, (start, _end)), value in items:
        if wanted is not None and abs(start - wanted) > 1:
            continue
        row = select_outcome(value, outcome)
        if row is None:
            continue
        row = {"key": key, **row}
        if spec.clock == "incident":
            row["day"] = datetime.fromtimestamp(start, UTC).date().isoformat()
        rows.append(row)
    if spec.clock == "incident":
        return sorted(rows, key=lambda r: (r["day"], r["key"]))
    return sorted(rows, key=lambda r: (-row_total(r), r["key"]))
