"""Polite fetching against a local server: user agent, robots.txt, rate limit, retries, limits, 304."""

import pytest

from streams.sources.feeds.config import FetchSettings
from streams.sources.feeds.fetch import Fetcher, FetchError
from tests.fixtures.feeds.site import FixtureSite

SETTINGS = FetchSettings(
    user_agent="news-streams/test (unit)",
    timeout_seconds=1.0,
    retries=2,
    backoff_seconds=0.5,
    backoff_max_seconds=1.5,
    host_interval_seconds=0.0,
    robots_cache_seconds=60,
    max_feed_bytes=10_000,
    max_page_bytes=10_000,
)


@pytest.fixture
def site():
    with FixtureSite() as site:
        yield site


def fetcher(sleeps, **overrides):
    return Fetcher(FetchSettings(**{**vars(SETTINGS), **overrides}), sleep=sleeps.append)


def test_robots_txt_is_honoured_and_fetched_once_per_host(site):
    site.route("/courier/private/x", b"secret")
    site.route("/ok", b"fine")
    client = fetcher([])
    with pytest.raises(FetchError, match="robots_disallowed"):
        client.get(site.url("/courier/private/x"), 10_000)
    assert client.get(site.url("/ok"), 10_000).body == b"fine"
    assert site.hits("/courier/private/x") == 0 and site.hits("/robots.txt") == 1
    assert {headers["user-agent"] for _, headers in site.requests} == {"news-streams/test (unit)"}


def test_missing_robots_txt_allows_all_and_an_unreachable_one_disallows_all(site):
    site.routes.pop("/robots.txt")
    site.route("/ok", b"fine")
    assert fetcher([]).get(site.url("/ok"), 10_000).body == b"fine"
    site.route("/robots.txt", status=503)
    with pytest.raises(FetchError, match=r"robots\.txt of .* unreachable"):
        fetcher([]).get(site.url("/ok"), 10_000)


def test_crawl_delay_and_host_interval_space_out_requests(site):
    site.route("/robots.txt", b"User-agent: news-streams\nCrawl-delay: 5\n", "text/plain")
    site.route("/a", b"a")
    sleeps = []
    client = fetcher(sleeps, host_interval_seconds=1.0)
    client.get(site.url("/a"), 100)
    client.get(site.url("/a"), 100)
    assert len(sleeps) == 2 and all(s > 4.9 for s in sleeps), "Crawl-delay 5 outweighs the 1s host interval"


def test_transient_errors_are_retried_with_growing_back_off(site):
    site.route("/flaky", b"at last", statuses=[503, 500])
    sleeps = []
    assert fetcher(sleeps).get(site.url("/flaky"), 100).body == b"at last"
    assert sleeps == [0.5, 1.0] and site.hits("/flaky") == 3


def test_client_errors_are_not_retried_and_keep_the_error_page(site):
    site.route("/gone", status=404)
    with pytest.raises(FetchError) as caught:
        fetcher([]).get(site.url("/gone"), 100)
    assert (caught.value.reason, caught.value.status, site.hits("/gone")) == ("http_error", 404, 1)
    assert caught.value.body == b"<html><body><h1>404</h1></body></html>"


def test_a_slow_server_times_out_after_the_retries(site):
    site.route("/slow", b"late", delay=2.0)
    with pytest.raises(FetchError, match="timeout"):
        fetcher([], retries=1).get(site.url("/slow"), 100)
    assert site.hits("/slow") == 2


def test_a_page_over_the_limit_is_refused_without_keeping_it(site):
    site.route("/huge", b"x" * 20_000)
    with pytest.raises(FetchError, match="too_large") as caught:
        fetcher([]).get(site.url("/huge"), 10_000)
    assert caught.value.body == b""


def test_conditional_get_answers_304_when_nothing_changed(site):
    route = site.route("/feed", b"<rss/>")
    first = fetcher([]).get(site.url("/feed"), 100)
    again = fetcher([]).get(site.url("/feed"), 100, {"If-None-Match": first.headers["ETag"]})
    assert (first.status, again.status, again.body) == (200, 304, b"")
    assert fetcher([]).get(site.url("/feed"), 100, {"If-Modified-Since": route.last_modified}).status == 304
