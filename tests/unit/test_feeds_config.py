"""The feed list: validation, environment overrides, and add/list/remove keeping the operator's comments."""

import shutil

import pytest

from streams.cli import main
from streams.config import ConfigError
from streams.sources.feeds.config import DEFAULT_FEEDS_FILE, Feed, add_feed, load_feeds_config, remove_feed


@pytest.fixture
def feeds_path(tmp_path, monkeypatch):
    path = tmp_path / "feeds.toml"
    shutil.copy(DEFAULT_FEEDS_FILE, path)
    monkeypatch.setenv("STREAMS_FEEDS_FILE", str(path))
    return path


def test_the_shipped_feed_list_loads_with_a_user_agent_naming_the_project():
    config = load_feeds_config(DEFAULT_FEEDS_FILE, environ={})
    assert config.fetch.user_agent.startswith("news-streams/") and config.fetch.robots_agent == "news-streams"
    assert config.state.seen_topic == "feeds.seen"
    assert any(feed.source == "ReliefWeb" for feed in config.feeds)


def test_settings_take_typed_environment_overrides(feeds_path):
    config = load_feeds_config(
        feeds_path,
        environ={"STREAMS_FEEDS_FETCH_TIMEOUT_SECONDS": "3", "STREAMS_FEEDS_STATE_SEEN_TOPIC": "t1.feeds.seen"},
    )
    assert config.fetch.timeout_seconds == 3.0 and config.state.seen_topic == "t1.feeds.seen"


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("timeout_seconds = 20.0", "timeout_seconds = 0", "fetch.timeout_seconds"),
        ("retries = 3", "retries = -1", "fetch.retries"),
        ('seen_topic = "feeds.seen"', 'seen_topic = "no spaces"', "state.seen_topic"),
        ('url = "https://reliefweb.int/updates/rss.xml"', 'url = "ftp://reliefweb.int/x"', r"feeds\[0\]\.url"),
        (
            'language = "en"\nsource = "ReliefWeb"',
            'language = "English"\nsource = "ReliefWeb"',
            r"feeds\[0\]\.language",
        ),
        (
            'url = "https://news.un.org/feed/subscribe/en/news/all/rss.xml"',
            'url = "https://reliefweb.int/updates/rss.xml"',
            "each feed may be listed once",
        ),
    ],
)
def test_each_bad_value_is_named(feeds_path, old, new, key):
    text = feeds_path.read_text()
    assert old in text
    feeds_path.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=key):
        load_feeds_config(feeds_path, environ={})


def test_add_and_remove_edit_only_the_feed_list(feeds_path):
    before = feeds_path.read_text()
    add_feed(feeds_path, Feed("https://example.org/fr/rss", 300.0, "fr", "Exemple « FR »"))
    feeds = load_feeds_config(feeds_path, environ={}).feeds
    assert feeds[-1] == Feed("https://example.org/fr/rss", 300.0, "fr", "Exemple « FR »")
    with pytest.raises(ConfigError, match="already listed"):
        add_feed(feeds_path, Feed("https://example.org/fr/rss", 60.0, "fr", "Again"))
    remove_feed(feeds_path, "https://example.org/fr/rss")
    assert feeds_path.read_text().rstrip() == before.rstrip()
    remove_feed(feeds_path, "https://news.un.org/feed/subscribe/en/news/all/rss.xml")
    text = feeds_path.read_text()
    assert "news.un.org" not in text and "# Example public feeds (not used by the tests)." in text
    assert [f.source for f in load_feeds_config(feeds_path, environ={}).feeds] == [
        "ReliefWeb",
        "BBC News",
        "Al Jazeera",
    ]
    with pytest.raises(ConfigError, match="not listed"):
        remove_feed(feeds_path, "https://news.un.org/feed/subscribe/en/news/all/rss.xml")


def test_cli_add_list_remove(feeds_path, capsys):
    assert main(["feeds", "add", "https://example.org/rss.xml", "--interval", "120", "--language", "es"]) == 0
    assert main(["feeds", "list"]) == 0
    assert "https://example.org/rss.xml\texample.org\tes\tevery 120s" in capsys.readouterr().out
    assert main(["feeds", "add", "not a url"]) == 1
    assert "must be an http(s) URL" in capsys.readouterr().err
    assert main(["feeds", "remove", "https://example.org/rss.xml"]) == 0
    assert main(["feeds", "remove", "https://example.org/rss.xml"]) == 1
    assert "example.org" not in feeds_path.read_text()
