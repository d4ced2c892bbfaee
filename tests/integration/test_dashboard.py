"""The dashboard in a real headless browser (Debian's chromium driven by Playwright) against a real worker:
it shows figures that came through Kafka, updates without a reload, never renders article text as markup, and
leaves a screenshot in tests/artifacts/dashboard.png."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.rollups import push_latest

from .harness import as_json, wait_for
from .test_rollups_api import api, dev_articles

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
SCREENSHOT = Path(__file__).resolve().parents[1] / "artifacts" / "dashboard.png"
# Produced after the page has loaded; its text carries markup that must show as text, never run.
LATE = {
    "id": "late-kandahar",
    "published_at": "2016-01-20",
    "source": "<img src=x onerror=window.pwned=1>",
    "body": "<script>window.pwned = 1</script> Seven soldiers were killed in an ambush near Kandahar on "
    "Wednesday, officials said.",
}


@pytest.fixture(scope="module")
def sync_playwright():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


PANELS_EMPTY = {
    "#places tbody": "No incidents",
    "#series": "No killed figures",
    "#actors": "Nothing mentioned",
    "#mentioned-places": "Nothing mentioned",
    "#latest": "No figures",
}


def test_empty_dashboard_renders_every_panel(workers, sync_playwright):
    worker = workers.start()
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://127.0.0.1:{worker.web_port}/dashboard")
        page.wait_for_function("document.getElementById('updated').textContent !== 'never'", timeout=30_000)
        assert "error" not in page.text_content("#updated"), page.text_content("#updated")
        assert page.text_content("#ready") in ("ready", "not ready")
        for selector, text in PANELS_EMPTY.items():
            assert text in page.text_content(selector), selector
        assert not errors, errors
    finally:
        browser.close()


def test_dashboard_shows_kafka_figures_and_updates_without_reload(workers, shared_data, sync_playwright):
    worker = workers.start()
    articles = dev_articles(shared_data)
    workers.produce([(a["id"], orjson.dumps(a)) for a in articles])
    enriched = as_json(workers.consume(workers.settings.topics.enriched.name, len(articles)))
    figures = as_json(
        workers.consume(workers.settings.topics.casualties.name, sum(len(e["casualties"]) for e in enriched))
    )
    latest_per_place: dict[str, list] = {}
    for figure in figures:  # one place is one partition, so topic order is processing order
        place = figure["place_key"]
        latest_per_place[place] = push_latest(latest_per_place.get(place), {"id": figure["event_id"]})
    expected = {item["id"] for latest in latest_per_place.values() for item in latest}
    wait_for(
        lambda: {row["id"] for row in api(worker.web_port, "/api/figures/latest?limit=200")["rows"]} == expected,
        120,
        "the latest-figures table never caught up with the casualties topic",
    )

    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://127.0.0.1:{worker.web_port}/dashboard")
        page.wait_for_selector("#latest li[data-figure-id]", timeout=30_000)
        shown = set(
            page.eval_on_selector_all("#latest li[data-figure-id]", "items => items.map(i => i.dataset.figureId)")
        )
        assert shown and shown <= {f["event_id"] for f in figures}, "figures on the page must come from Kafka"
        page.wait_for_selector('#places tr[data-key="place:geonames:98182"]', timeout=30_000)
        assert page.text_content("#ready") == "ready"

        page.evaluate("window.loadedOnce = true")
        workers.produce([(LATE["id"], orjson.dumps(LATE))])
        [late] = [
            f
            for f in as_json(workers.consume(workers.settings.topics.casualties.name, len(figures) + 1))
            if f["article_id"] == LATE["id"]
        ]
        late_item = page.wait_for_selector(f'#latest li[data-figure-id="{late["event_id"]}"]', timeout=60_000)
        assert page.evaluate("window.loadedOnce") is True, "the page must update without a reload"
        assert "Kandahar" in late_item.text_content() and LATE["source"] in late_item.text_content()
        assert page.evaluate("window.pwned") is None, "article markup must never run"
        assert page.locator("#latest script, #latest img").count() == 0
        assert not errors, errors

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
