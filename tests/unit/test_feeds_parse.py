"""Feeds and pages from the fixtures: feedparser with ETag/Last-Modified, trafilatura's clean main text."""

import pytest

from streams.sources.feeds.config import Feed
from streams.sources.feeds.extract import extract_article
from streams.sources.feeds.fetch import Failure, Fetcher
from streams.sources.feeds.poll import Validators, poll_feed
from tests.fixtures.feeds.site import ATOM, RSS, FixtureSite

from .test_feeds_fetch import SETTINGS


@pytest.fixture
def site():
    with FixtureSite() as site:
        site.file("/rw.xml", "reliefweb-updates.rss.xml", RSS)
        site.file("/un.atom", "un-news.atom.xml", ATOM)
        site.file("/broken.xml", "broken.rss.xml", RSS)
        site.file("/page.html", "pages/reliefweb-sudan.html")
        yield site


def poll(site, path, validators=None):
    return poll_feed(Fetcher(SETTINGS), Feed(site.url(path), 60, "en", "Test"), validators or Validators(), 10_000)


def test_rss_items_with_dates_and_authors_then_304(site):
    validators = Validators()
    result = poll(site, "/rw.xml", validators)
    assert [item.author for item in result.items] == ["OCHA", "IOM", "UN News"]
    assert result.items[0].published_at == "2025-03-03T07:15:00+00:00"
    assert "utm_source=rss" in result.items[0].url and result.problem is None
    assert poll(site, "/rw.xml", validators).not_modified
    site.edit("/rw.xml", "07:15:00", "13:40:00")
    edited = poll(site, "/rw.xml", validators)
    assert not edited.not_modified and edited.items[0].entry != result.items[0].entry
    assert edited.items[1:] == result.items[1:]


def test_atom_entries(site):
    items = poll(site, "/un.atom").items
    assert [item.title for item in items][1] == "Yemen: Cholera cases rise as rainy season nears, WHO warns"
    assert items[0].published_at == "2025-03-02T08:30:00+00:00"


def test_malformed_xml_is_reported_with_the_feed_bytes(site):
    result = poll(site, "/broken.xml")
    assert result.items == [] and result.problem.reason == "feed_malformed"
    assert result.problem.body == site.routes["/broken.xml"].body


def test_a_web_page_is_not_a_feed(site):
    with pytest.raises(Failure, match="feed_malformed: not an RSS or Atom feed"):
        poll(site, "/page.html")


def test_extraction_keeps_the_article_and_drops_the_page_around_it(site):
    article = extract_article(site.fixture("pages/reliefweb-sudan.html"), site.url("/page.html"), 200)
    assert article.title == "Sudan: Shelling of displacement camp near El Fasher kills 14 civilians"
    assert article.date == "2025-03-03"
    assert article.body.startswith("At least 14 civilians") and article.body.count("\n") == 3
    assert not any(word in article.body for word in ("cookies", "Related", "Share on", "Subscribe"))


def test_a_page_without_article_text_fails_with_its_bytes(site):
    html = site.fixture("pages/courier-app-shell.html")
    with pytest.raises(Failure, match="no_text") as caught:
        extract_article(html, site.url("/live"), 200)
    assert caught.value.body == html
