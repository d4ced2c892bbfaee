"""The pure parts of the HTTP API behind the dashboard: which topics the lag panel shows, and the selection, day
series and facets of `/api/incidents`."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.web.api import (
    incident_country,
    incident_days,
    incident_facets,
    incident_totals,
    pipeline_topics,
    published_epoch,
    select_incidents,
)


def incident(
    incident_id: str,
    day: str | None,
    killed: int = 0,
    injured: int = 0,
    country: str | None = "SY",
    admin1: str | None = "Aleppo",
    region: str = "SY/SY-02",
    last_reported: str | None = "2024-11-02",
    **others: int,
) -> dict:
    tolls = {"killed": killed, "injured": injured, **others}
    place = None if country is None else {"name": "x", "country": country, "admin1": admin1 and {"name": admin1}}
    return {
        "id": incident_id,
        "day": day,
        "region": region,
        "place": place,
        "killed": {"min": killed, "max": killed, "reports": 1},
        "injured": {"min": injured, "max": injured, "reports": 1},
        "tolls": {name: {"min": n, "max": n, "reports": 1} for name, n in tolls.items() if n},
        "last_reported": last_reported,
    }


def test_the_lag_panel_shows_the_pipeline_topics_not_faust_internals():
    lag = {"articles.raw": 3.0, "casualties": 0.0, "app-__assignor-__leader": 0.0, "app-articles-changelog": 9.0}
    assert pipeline_topics(lag) == {"articles.raw": 3.0, "casualties": 0.0}


def test_published_times_read_days_and_zoneless_times_as_utc():
    assert published_epoch("2025-03-04") == datetime(2025, 3, 4, tzinfo=UTC).timestamp()
    assert published_epoch("2025-03-04T09:30:00") == datetime(2025, 3, 4, 9, 30, tzinfo=UTC).timestamp()
    assert published_epoch("2025-03-04T09:30:00+01:00") == datetime(2025, 3, 4, 8, 30, tzinfo=UTC).timestamp()
    assert published_epoch(None) is None and published_epoch("yesterday") is None


def test_selection_by_outcome_and_by_report_time():
    records = [
        incident("a", "2024-11-01", killed=3),
        incident("b", "2024-11-02", injured=2, last_reported="2024-11-09T12:00:00Z"),
        incident("c", "2024-11-03", arrested=4, last_reported=None),
    ]
    assert [r["id"] for r in select_incidents(records, "injured", None)] == ["b"]
    assert [r["id"] for r in select_incidents(records, "arrested", None)] == ["c"]
    since = datetime(2024, 11, 9, tzinfo=UTC).timestamp()
    assert [r["id"] for r in select_incidents(records, None, since)] == ["b"]
    assert select_incidents(records, None, None) == records


def test_country_from_the_place_else_the_region():
    assert incident_country(incident("a", None, country=None, region="NG/NG-BO")) == "NG"
    assert incident_country(incident("a", None, country=None, region="unknown")) is None
    assert incident_country(incident("a", None, country="AF", region="unknown")) == "AF"


def test_days_are_per_day_and_country_and_leave_undated_incidents_out():
    records = [
        incident("a", "2024-11-01", killed=3),
        incident("b", "2024-11-01", killed=2, injured=1),
        incident("c", "2024-11-05", killed=1, country="IQ", region="IQ"),
        incident("d", None, killed=7),
    ]
    assert incident_days(records) == [
        {"day": "2024-11-01", "country": "SY", "incidents": 2, "killed": 5, "injured": 1},
        {"day": "2024-11-05", "country": "IQ", "incidents": 1, "killed": 1, "injured": 0},
    ]
    assert incident_totals(records) == {"incidents": 4, "killed": 13, "injured": 1}


def test_facets_count_countries_admin1_and_outcomes():
    records = [
        incident("a", "2024-11-01", killed=3),
        incident("b", "2024-11-01", injured=1, admin1="Idlib"),
        incident("c", "2024-11-05", killed=1, country=None, region="unknown"),
    ]
    assert incident_facets(records) == {
        "countries": {"SY": 2, "": 1},
        "admin1": {"SY": {"Aleppo": 1, "Idlib": 1}},
        "outcomes": {"killed": 2, "injured": 1},
    }
    assert incident_facets([]) == {"countries": {}, "admin1": {}, "outcomes": {}}
