"""The dashboard's own files: small, loading nothing from outside the worker, and their pure functions (map fit,
time ticks, the filters in the address, toll text, which names are news outlets) run under node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parents[2] / "streams" / "web" / "dashboard"
MAX_BYTES = 150_000  # everything the browser loads: code, styles, basemap, outlet names
SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # a name, never fetched

PROBE = """
const base = process.argv[1];
const [map, charts, filters, dom, panels] = await Promise.all(
  ["map", "charts", "filters", "dom", "panels"].map((name) => import(`${base}/${name}.js`)));
const rule = new panels.OutletRule(JSON.parse(process.argv[2]));
rule.addSources([{ sources: [{ source: "Gazette of Nowhere" }, { source: null }] }]);
const day = (text) => Date.parse(`${text}T00:00:00Z`);
console.log(JSON.stringify({
  fitOne: map.fitView([{ x: 691, y: -345 }], 2.5),
  fitMany: map.fitView([{ x: -800, y: -400 }, { x: 700, y: -340 }, { x: 130, y: 250 }], 2),
  fitNone: map.fitView([], 2),
  outcome: [map.outcomeOf({ killed: { min: 2 }, injured: { min: 5 } }), map.outcomeOf({ killed: { min: 0 },
    injured: { min: 5 } }), map.outcomeOf({ killed: { min: 0 }, injured: { min: 0 } })],
  ticksWeek: charts.timeTicks(day("2024-11-01"), day("2024-11-08")),
  ticksYears: charts.timeTicks(day("2016-01-11"), day("2025-05-19")).map((t) => t.label),
  ticksMonths: charts.timeTicks(day("2024-11-15"), day("2025-06-01")).map((t) => t.label),
  state: filters.readState("?country=SY&admin1=Aleppo&from=2024-13-01&to=2024-11-30&reported=1y&incident=inc-1"),
  leapDay: [filters.readState("?from=2024-02-29").filters.from, filters.readState("?from=2023-02-29").filters.from],
  search: filters.stateSearch({ filters: { country: "NG", admin1: "", outcome: "killed", from: "", to: "",
    reported: "7d" }, incident: "" }),
  path: filters.incidentsPath({ country: "US", admin1: "Indiana", outcome: "", from: "2014-01-01", to: "",
    reported: "" }, 200),
  tolls: [dom.tollText({ min: 12, max: 15 }), dom.tollText({ min: 13, max: null }), dom.tollText({ min: 0, max: 0 }),
    dom.tollText({ min: 3, max: 3 })],
  outlets: ["AFP", "Reuters", "WRAL", "WSB-TV", "Chicago Tribune", "Gazette of Nowhere", "Islamic State",
    "Interior Ministry", "Boko Haram"].map((canonical) => rule.isOutlet({ label: "ORG", canonical })),
  outletById: rule.isOutlet({ label: "ORG", id: "org:associated-press", canonical: "AP news" }),
  personNamedLikeOutlet: rule.isOutlet({ label: "PERSON", canonical: "Reuters" }),
}));
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    node = shutil.which("node")
    assert node, "node runs the dashboard's functions here (Debian's nodejs)"
    knowledge = (DASHBOARD / "news-outlets.json").read_text(encoding="utf-8")
    result = subprocess.run(
        [node, "--experimental-default-type=module", "--input-type=module", "-e", PROBE, DASHBOARD.as_uri(), knowledge],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_dashboard_files_are_small_and_load_nothing_from_outside():
    files = [path for path in DASHBOARD.iterdir() if path.is_file()]
    assert sum(path.stat().st_size for path in files) <= MAX_BYTES
    for path in files:
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8").replace(SVG_NAMESPACE, "")
            assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import", text), path.name
    html = (DASHBOARD / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'(?:src|href)="([^"]+)"', html)) == {
        "data:,",
        "/dashboard/static/dashboard.css",
        "/dashboard/static/dashboard.js",
    }


def test_the_basemap_is_natural_earth_countries_with_iso_codes():
    basemap = json.loads((DASHBOARD / "world-110m.json").read_text(encoding="utf-8"))
    assert "Natural Earth" in basemap["source"] and basemap["frame"]["scale"] == 10
    codes = {country["code"] for country in basemap["countries"]}
    assert {"SY", "AF", "NG", "US", "IQ", "XK"} <= codes and None not in codes
    assert all(re.fullmatch(r"(M[-\d ]+l[-\d ]+z)+", country["d"]) for country in basemap["countries"])


def test_the_map_fits_its_points_in_the_drawing_aspect(probe):
    one = probe["fitOne"]
    assert one["x"] < 691 < one["x"] + one["width"] and one["y"] < -345 < one["y"] + one["height"]
    assert one["width"] >= 200 and one["width"] / one["height"] == pytest.approx(2.5)
    many = probe["fitMany"]
    for x, y in ((-800, -400), (700, -340), (130, 250)):
        assert many["x"] < x < many["x"] + many["width"] and many["y"] < y < many["y"] + many["height"]
    assert many["width"] / many["height"] == pytest.approx(2)
    assert probe["fitNone"] == {"x": -1800, "y": -840, "width": 3600, "height": 1440}
    assert probe["outcome"] == ["killed", "injured", "other"]


def test_time_ticks_are_days_for_a_week_and_months_or_years_for_longer(probe):
    week = probe["ticksWeek"]
    assert [tick["label"] for tick in week] == [f"2024-11-0{d}" for d in range(1, 9)]
    steps = {b["time"] - a["time"] for a, b in zip(week, week[1:], strict=False)}
    assert steps == {86_400_000}
    years = probe["ticksYears"]
    assert years and all(re.fullmatch(r"\d{4}", label) for label in years)
    assert years == sorted(years) and "2016" not in years and int(years[-1]) <= 2025
    assert probe["ticksMonths"][0] == "2024-12" and all(date.fromisoformat(f"{m}-01") for m in probe["ticksMonths"])


def test_the_address_keeps_valid_filters_only(probe):
    assert probe["state"] == {
        "filters": {"country": "SY", "admin1": "Aleppo", "outcome": "", "from": "", "to": "2024-11-30", "reported": ""},
        "incident": "inc-1",
    }
    assert probe["leapDay"] == ["2024-02-29", ""]
    assert probe["search"] == "?country=NG&outcome=killed&reported=7d"
    assert probe["path"] == "/api/incidents?limit=200&country=US&admin1=Indiana&from=2014-01-01"


def test_toll_text(probe):
    assert probe["tolls"] == ["12–15", "≥ 13", "–", "3"]


def test_news_outlets_are_not_actors(probe):
    assert probe["outlets"] == [True, True, True, True, True, True, False, False, False]
    assert probe["outletById"] is True
    assert probe["personNamedLikeOutlet"] is False
