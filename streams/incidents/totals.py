"""Casualty totals counted by incident: what `/api/casualties` answers when the incident view is available.

One row per country, admin1 or place (the incident's `place`, as `summary.place`), and for the `1d` window per
incident day; `24h` and `7d` take the incidents with a report published in the window ending now. Each
incident counts once, with the value used for totals (`killed.min`, `injured.min`; the other outcomes from
`tolls`), and only when it is `counted` (an incident known only from follow-ups is not). Incidents without a
country are left out: they can be put in no row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from streams.rollups.windows import WindowSpec

SCOPES = ("place", "admin1", "country")
MAIN_OUTCOMES = ("killed", "injured")


def row_key(record: dict, by: str) -> tuple[str, str, str] | None:
    """(key, name, country) of the row an incident counts in, or None when its place does not say."""
    place = record.get("place") or {}
    region = str(record.get("region") or "")
    country = place.get("country") or (region.split("/")[0] if region and region != "unknown" else None)
    if not country:
        return None
    if by == "country":
        return country, country, country
    if by == "admin1":
        admin1 = place.get("admin1") or {}
        code = admin1.get("code") or admin1.get("name")
        return (f"{country}/{code}", admin1.get("name") or code, country) if code else None
    name = place.get("name")
    key = place.get("entity_id") or (f"{country}/{name}" if name else None)
    return (key, name or key, country) if key else None


def incident_outcomes(record: dict) -> dict[str, int]:
    """The incident's toll per outcome as counted in totals (nothing when it is not counted)."""
    if record.get("counted") is False:
        return {}
    values = {outcome: (record.get(outcome) or {}).get("min") or 0 for outcome in MAIN_OUTCOMES}
    for outcome, toll in (record.get("tolls") or {}).items():
        if outcome not in MAIN_OUTCOMES:
            values[outcome] = toll.get("min") or 0
    return {outcome: value for outcome, value in values.items() if value > 0}


def reported_epoch(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def incident_rows(records: list[dict], by: str, spec: WindowSpec, now: float, outcome: str | None = None) -> list[dict]:
    """Rows shaped as the figure rollups' (`key`, `name`, `country`, `outcomes` {outcome: {total, incidents}}, and
    `day` for the incident-day window), each incident counted once."""
    since = spec.current_start(now) if spec.clock == "report" else None
    rows: dict[tuple[str, str | None], dict] = {}
    for record in records:
        where, values = row_key(record, by), incident_outcomes(record)
        if outcome is not None:
            values = {outcome: values[outcome]} if outcome in values else {}
        if where is None or not values:
            continue
        day = record.get("day") if spec.clock == "incident" else None
        if spec.clock == "incident" and not day:
            continue
        if since is not None and (reported_epoch(record.get("last_reported")) or 0) < since:
            continue
        key, name, country = where
        row = rows.setdefault(
            (key, day), {"key": key, "name": name, "country": country, "incidents": 0, "outcomes": {}}
        )
        row["incidents"] += 1
        for name_of, value in values.items():
            cell = row["outcomes"].setdefault(name_of, {"total": 0, "incidents": 0})
            cell["total"] += value
            cell["incidents"] += 1
        if day:
            row["day"] = day
    if spec.clock == "incident":
        return sorted(rows.values(), key=lambda r: (r["day"], r["key"]))
    return sorted(rows.values(), key=lambda r: (-sum(v["total"] for v in r["outcomes"].values()), r["key"]))
