"""The dashboard in a real headless browser (Debian's chromium driven by Playwright) against a real worker.

An empty dashboard renders every panel, keeps going when one endpoint fails and when the worker restarts; with
the sample articles it maps the incidents where `/api/incidents` places them, filters as the API does and keeps
the filters in the address, drills down from an incident to its sources, evidence and articles, never renders
article text as markup and loads nothing from outside the worker. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
from datetime import date
from pathlib import Path

import orjson
import pytest

from streams.config import load_settings
from streams.incidents.report import UNKNOWN_REGION, incident_report
from streams.kafka.topics import ensure_topics

from .harness import REPO_ROOT, api, as_json, wait_for
from .test_rollups_api import dev_articles

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SAMPLES = REPO_ROOT / "samples" / "articles.jsonl"
SCALE = 10  # the basemap frame: x = 10 * longitude, y = -10 * latitude
# Produced after the page has loaded; its title, outlet and text carry markup that must show as text, never run.
LATE = {
    "id": "late-kandahar",
    "published_at": "2016-01-20",
    "title": "<img src=x onerror=window.pwned=1> Ambush near Kandahar",
    "source": "<img src=x onerror=window.pwned=1>",
    "body": "<script>window.pwned = 1</script> Seven soldiers were killed in an ambush near Kandahar on "
    "Wednesday, officials said.",
}
PANELS_EMPTY = {
    "#incidents tbody": "No incidents",
    "#map-panel": "No incidents match",
    "#series": "No killed figures",
    "#actors": "No actors mentioned",
    "#nationalities": "No nationalities",
    "#outlets": "No reports",
    "#mentioned-places": "No places mentioned",
    "#latest": "No figures",
}
PANEL_ERRORS = "els => els.map(e => e.closest('section').id + ': ' + e.textContent).filter(t => !t.endsWith(': '))"


@pytest.fixture(scope="module")
def sync_playwright():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def pipeline(workers):
    """The worker factory with incident topics of its own, like the other topics of the test."""
    suffix = workers.env["STREAMS_WORKER_APP_ID"].removeprefix("test-")
    for variable, name in (
        ("STREAMS_TOPICS_INCIDENT_REPORTS_NAME", "incidents.reports"),
        ("STREAMS_TOPICS_INCIDENTS_NAME", "incidents"),
    ):
        workers.env.setdefault(variable, f"t{suffix}.{name}")
    workers.settings = load_settings(environ={**os.environ, **workers.env})
    ensure_topics(workers.settings)
    return workers


@pytest.fixture
def browser_page(sync_playwright):
    """A page that records script errors and every URL it requests."""
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.errors, page.requested = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    browser.close()


def screenshot(target, name: str, **options) -> Path:
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(path), **options)
    assert path.stat().st_size > 5_000
    return path


def wait_refreshed(page, timeout: float = 30_000) -> None:
    """Until the dashboard completes a refresh after now."""
    page.evaluate("document.getElementById('updated').dataset.seen = document.getElementById('updated').textContent")
    page.wait_for_function(
        "() => { const u = document.getElementById('updated'); return u.textContent !== 'never' && "
        "u.textContent !== u.dataset.seen; }",
        timeout=timeout,
    )


def only_local_requests(page, port: int) -> None:
    outside = [url for url in page.requested if not url.startswith((f"http://127.0.0.1:{port}/", "data:"))]
    assert not outside, f"the dashboard loaded from outside the worker: {outside}"


def test_empty_dashboard_renders_every_panel_through_an_endpoint_error_and_a_restart(pipeline, browser_page):
    page, worker = browser_page, pipeline.start()
    port = worker.web_port
    page.goto(f"http://127.0.0.1:{port}/dashboard")
    page.wait_for_function("() => document.getElementById('updated').textContent !== 'never'", timeout=30_000)
    assert "error" not in page.text_content("#updated"), page.text_content("#updated")
    wait_refreshed(page)
    assert page.text_content("#ready") in ("ready", "not ready")
    for selector, text in PANELS_EMPTY.items():
        assert text in page.text_content(selector), (selector, page.text_content(selector))
    assert page.locator("#map path.country").count() > 150, "the basemap ships with the dashboard"
    assert page.locator("#map circle.point").count() == 0
    assert page.eval_on_selector_all(".panel-error", PANEL_ERRORS) == []
    screenshot(page, "dashboard-empty.png", full_page=True)

    # one endpoint failing: its panel says so, the others and the badge carry on
    page.route("**/api/entities/top?label=NORP*", lambda route: route.fulfill(status=500, body="boom"))
    wait_refreshed(page)
    wait_refreshed(page)
    assert page.eval_on_selector_all(".panel-error", PANEL_ERRORS) == ["nationalities-panel: Could not load: "
        "/api/entities/top?label=NORP&window=7d&limit=10: HTTP 500"]  # fmt: skip
    assert page.text_content("#ready") in ("ready", "not ready")
    assert "No actors mentioned" in page.text_content("#actors")
    page.unroute("**/api/entities/top?label=NORP*")

    # the worker stops: the badge says unreachable, every panel keeps its last content
    worker.stop()
    page.wait_for_function("() => document.getElementById('ready').textContent === 'unreachable'", timeout=30_000)
    for selector, text in PANELS_EMPTY.items():
        assert text in page.text_content(selector), selector
    assert len(page.eval_on_selector_all(".panel-error", PANEL_ERRORS)) >= 6
    # and comes back on the same port: the panels recover without a reload
    page.evaluate("window.loadedOnce = true")
    command = [sys.executable, "-m", "streams", "worker", "--web-port", str(port), "--role", "all"]
    pipeline.start(command=command)
    page.wait_for_function(
        "() => ['ready', 'not ready'].includes(document.getElementById('ready').textContent)", timeout=60_000
    )
    wait_refreshed(page)
    assert page.evaluate("window.loadedOnce") is True
    assert page.eval_on_selector_all(".panel-error", PANEL_ERRORS) == []
    for selector, text in PANELS_EMPTY.items():
        assert text in page.text_content(selector), selector
    assert not page.errors, page.errors
    only_local_requests(page, port)


def sample_articles() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles_with_toll(enriched: list[dict]) -> set[str]:
    """The articles with a toll and a country: each must be held by an incident (one without a country opens
    none)."""
    summary = lambda event, outcome: ((event.get("summary") or {}).get(outcome) or {}).get("min")  # noqa: E731
    placed = {event["id"] for event in enriched if incident_report(event)["region"] != UNKNOWN_REGION}
    return {event["id"] for event in enriched if summary(event, "killed") or summary(event, "injured")} & placed


def incidents_answer(port: int, **filters: str) -> dict:
    return api(port, f"/api/incidents?{urllib.parse.urlencode({'limit': 200, **filters})}")


def wait_for_incidents(port: int, article_ids: set[str]) -> list[dict]:
    """Until every article with a toll is in an incident of the live view; the incidents."""

    def reported() -> set[str]:
        return {a for incident in incidents_answer(port)["incidents"] for a in incident["articles"]}

    wait_for(lambda: article_ids <= reported(), 180, lambda: f"not in an incident: {article_ids - reported()}")
    return incidents_answer(port)["incidents"]


def check_map(page, incidents: list[dict]) -> None:
    """A circle per placed incident at the API's coordinates, inside the fitted view."""
    located = [i for i in incidents if i["place"] and isinstance(i["place"].get("lat"), int | float)]
    assert located, "the sample articles place some incidents"
    page.wait_for_function(f"() => document.querySelectorAll('#map circle.point').length === {len(located)}")
    frame = page.locator("#map svg").bounding_box()
    for incident in located:
        circle = page.locator(f'#map circle[data-incident-id="{incident["id"]}"]')
        assert float(circle.get_attribute("cx")) == pytest.approx(incident["place"]["lon"] * SCALE)
        assert float(circle.get_attribute("cy")) == pytest.approx(-incident["place"]["lat"] * SCALE)
        box = circle.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], incident["id"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"], incident["id"]
        assert "killed" in circle.get_attribute("class") or not incident["killed"]["min"]
    topmost = page.locator("#map circle.point").last  # the smallest, drawn over the others
    hovered = next(i for i in located if i["id"] == topmost.get_attribute("data-incident-id"))
    topmost.hover()
    tip = page.locator("#map .map-tip")
    assert tip.is_visible() and hovered["place"]["name"] in tip.text_content()


def check_time_axis(page) -> None:
    """Bars stand at their day on a linear time axis: the spacing of days is the spacing of bars."""
    bars = page.eval_on_selector_all(
        "#series rect.bar",
        "bars => bars.map(b => [b.dataset.day, +b.getAttribute('x') + +b.getAttribute('width') / 2])",
    )
    days = sorted({(day, x) for day, x in bars})
    assert len(days) >= 3, days
    epoch = [(date.fromisoformat(day).toordinal(), x) for day, x in days]
    (d0, x0), (d1, x1) = epoch[0], epoch[-1]
    for day, x in epoch:
        assert x == pytest.approx(x0 + (x1 - x0) * (day - d0) / (d1 - d0), abs=0.5)


def check_filters(page, port: int, incidents: list[dict]) -> None:
    """A country chosen in the form: the URL keeps it, the list is the API's answer for it, a reload keeps it."""
    country = next(i["place"]["country"] for i in incidents if i["place"] and i["place"].get("country"))
    page.select_option("#filters select[name=country]", country)
    page.wait_for_function(f"() => location.search.includes('country={country}')")
    expected = {i["id"] for i in incidents_answer(port, country=country)["incidents"]}
    shown = "rows => rows.map(r => r.dataset.incidentId).filter(Boolean)"
    page.wait_for_function(
        f"() => document.querySelectorAll('#incidents tbody tr[data-incident-id]').length === {len(expected)}"
    )
    assert set(page.eval_on_selector_all("#incidents tbody tr", shown)) == expected
    placed = next((i for i in incidents if i["place"] and (i["place"].get("admin1") or {}).get("name")), None)
    if placed:  # the region choices are those of the chosen country
        country, region = placed["place"]["country"], placed["place"]["admin1"]["name"]
        page.select_option("#filters select[name=country]", country)
        page.wait_for_function(f"() => location.search.includes('country={country}')")
        page.wait_for_selector(f'#filters select[name=admin1] option[value="{region}"]', state="attached")
        page.select_option("#filters select[name=admin1]", region)
        expected = {i["id"] for i in incidents_answer(port, country=country, admin1=region)["incidents"]}
        page.wait_for_function(
            f"() => document.querySelectorAll('#incidents tbody tr[data-incident-id]').length === {len(expected)}"
        )
        assert set(page.eval_on_selector_all("#incidents tbody tr", shown)) == expected
        assert "admin1=" in page.evaluate("location.search")
    days = sorted(i["day"] for i in incidents if i["day"])
    page.goto(f"http://127.0.0.1:{port}/dashboard?country={country}&from={days[0]}&to={days[-1]}&outcome=killed")
    wait_refreshed(page)
    answer = incidents_answer(port, country=country, outcome="killed", **{"from": days[0], "to": days[-1]})
    assert set(page.eval_on_selector_all("#incidents tbody tr", shown)) == {i["id"] for i in answer["incidents"]}
    assert page.input_value("#filters select[name=country]") == country
    assert page.input_value("#filters input[name=from]") == days[0]
    assert f"{answer['totals']['killed']} killed" in page.text_content("#totals")
    screenshot(page.locator("main"), "dashboard-filtered.png")


def check_drilldown(page, port: int, incident: dict) -> None:
    """An incident's toll range, sources with what each said, evidence, and the article behind each id."""
    page.click(f'#incidents tbody tr[data-incident-id="{incident["id"]}"]')
    page.wait_for_selector(f'#detail[data-incident-id="{incident["id"]}"] .source-item')
    assert f"incident={incident['id']}" in page.evaluate("location.search")
    detail = page.text_content("#detail")
    assert page.text_content('#detail tr[data-outcome="killed"]').count(str(incident["killed"]["min"])) >= 1
    for source in incident["sources"]:
        item = page.locator(f'#detail .source-item[data-article-id="{source["article_id"]}"]')
        for sentence in source["evidence"]:
            assert sentence in item.text_content()
    first = incident["sources"][0]
    article = api(port, f"/api/articles/{urllib.parse.quote(first['article_id'])}")
    page.click(f'#detail .source-item[data-article-id="{first["article_id"]}"] button.article-id')
    page.wait_for_selector(f'#detail .source-item[data-article-id="{first["article_id"]}"] .article dl')
    shown = page.text_content(f'#detail .source-item[data-article-id="{first["article_id"]}"] .article')
    assert (article.get("title") or article["meta"]["event_id"]) in shown
    assert incident["id"] in detail
    page.reload()
    page.wait_for_selector(f'#detail[data-incident-id="{incident["id"]}"] .source-item')  # the URL keeps it
    page.click(f'#detail .source-item[data-article-id="{first["article_id"]}"] button.article-id')
    page.wait_for_selector(f'#detail .source-item[data-article-id="{first["article_id"]}"] .article dl')
    screenshot(page.locator("#detail-panel"), "dashboard-drilldown.png")


def check_honest_panels(page, port: int) -> None:
    actors = page.text_content("#actors")
    outlets = {"AFP", "Sample Wire"} & {
        row["canonical"] for row in api(port, "/api/entities/top?label=ORG&limit=50")["rows"]
    }
    for outlet in outlets:
        assert f"{outlet} (ORG)" not in actors, f"{outlet} is an outlet, not an actor"
    assert "Sample Wire" in page.text_content("#outlets")
    topics = page.eval_on_selector_all("#pipeline tbody tr", "rows => rows.map(r => r.dataset.topic)")
    assert topics and not [t for t in topics if t.endswith(("__leader", "-changelog"))], topics


def test_dashboard_maps_filters_and_drills_down_to_the_evidence(pipeline, shared_data, browser_page):
    page, worker = browser_page, pipeline.start()
    port = worker.web_port
    articles = sample_articles() + dev_articles(shared_data)
    pipeline.produce([(a["id"], orjson.dumps(a)) for a in articles])
    enriched = as_json(pipeline.consume(pipeline.settings.topics.enriched.name, len({a["id"] for a in articles})))
    incidents = wait_for_incidents(port, articles_with_toll(enriched))

    page.goto(f"http://127.0.0.1:{port}/dashboard")
    page.wait_for_selector("#incidents tbody tr[data-incident-id]", timeout=30_000)
    check_map(page, incidents)
    screenshot(page.locator("#map-panel"), "dashboard-map.png")
    check_time_axis(page)
    check_honest_panels(page, port)
    kabul = next(i for i in incidents if "sample-kabul-bombing" in i["articles"])
    check_drilldown(page, port, kabul)
    check_filters(page, port, incidents)

    # a late article with markup: the page updates without a reload and shows the markup as text
    page.goto(f"http://127.0.0.1:{port}/dashboard")
    wait_refreshed(page)
    page.evaluate("window.loadedOnce = true")
    pipeline.produce([(LATE["id"], orjson.dumps(LATE))])
    [late] = wait_for_incidents_of(port, LATE["id"])
    row = page.wait_for_selector(f'#incidents tbody tr[data-incident-id="{late["id"]}"]', timeout=60_000)
    assert page.evaluate("window.loadedOnce") is True, "the page must update without a reload"
    row.click()
    page.wait_for_selector(f'#detail[data-incident-id="{late["id"]}"] .source-item')
    page.click("#detail button.article-id")
    page.wait_for_selector("#detail .article dl")
    detail = page.text_content("#detail")
    assert LATE["source"] in detail and LATE["title"] in detail and "Kandahar" in detail
    page.wait_for_selector(f'#latest li:has-text("{LATE["source"]}")', timeout=60_000)
    assert page.evaluate("window.pwned") is None, "article markup must never run"
    assert page.locator("main script, main img").count() == 0
    assert not page.errors, page.errors
    only_local_requests(page, port)
    screenshot(page, "dashboard.png", full_page=True)


def wait_for_incidents_of(port: int, article_id: str) -> list[dict]:
    def holding() -> list[dict]:
        return [i for i in incidents_answer(port)["incidents"] if article_id in i["articles"]]

    wait_for(lambda: holding(), 180, f"{article_id} never reached an incident")
    return holding()
