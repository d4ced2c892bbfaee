"""The pure rollup functions: which figures count, the dedup key, windows and merging."""

from __future__ import annotations

from streams.rollups import (WINDOWS, article_record, contribution, dedup_key, incident_day, mention_events, merge,
                             push_latest, rollup, top_entities, windowed_rows)


def figure_event(article_id="a1", place="place:geonames:98182", country="IQ", outcome="killed", count=12,
                 count_max=None, date=None, published_at="2016-01-11", victim_type="civilian", counted=True,
                 event_id=None):
    return {"event_id": event_id or f"{article_id}-{outcome}-{count}", "article_id": article_id,
            "place_key": place, "country": country,
            "figure": {"outcome": outcome, "count": {"min": count, "max": count_max, "text": str(count)},
                       "victim_type": victim_type, "date": date, "in_incident_total": counted,
                       "cumulative": not counted,
                       "locations": [{"text": "Baghdad", "entity_id": place, "canonical": "Baghdad",
                                      "country": country}],
                       "evidence": {"sentence": "Twelve people were killed in Baghdad."}},
            "article": {"published_at": published_at, "source": "AFP"},
            "meta": {"processed_at": "2026-11-25T10:00:00+00:00"}}


def test_incident_day_prefers_the_figure_date_then_published_at_then_processing():
    assert incident_day(figure_event(date="2016-01-10", published_at="2016-01-11")) == "2016-01-10"
    assert incident_day(figure_event(published_at="2016-01-11T23:10:00+00:00")) == "2016-01-11"
    assert incident_day(figure_event(published_at=None)) == "2026-11-25"


def test_same_incident_in_two_articles_has_one_key_and_counts_once():
    first = figure_event("a1", count=12, count_max=12)
    second = figure_event("a2", count=12, count_max=None, published_at="2016-01-11T08:00:00Z")
    assert dedup_key(first) == dedup_key(second) == "place:geonames:98182|2016-01-11|killed|12"
    totals = rollup([first, second, first], "place")
    assert totals["place:geonames:98182"]["outcomes"]["killed"] == {
        "total": 12, "incidents": 1, "victim_types": {"civilian": 12}}


def test_different_day_count_or_outcome_are_different_incidents():
    base = figure_event()
    assert len({dedup_key(e) for e in (base, figure_event(count=13), figure_event(outcome="injured"),
                                       figure_event(date="2016-01-09"))}) == 4


def test_figures_without_a_place_are_only_matched_within_their_article():
    a, b = figure_event("a1", place="unknown", country=None), figure_event("a2", place="unknown", country=None)
    assert dedup_key(a) != dedup_key(b)
    assert rollup([a, b], "country")["unknown"]["outcomes"]["killed"]["incidents"] == 2


def test_cumulative_tallies_are_not_summed():
    totals = rollup([figure_event(count=603, counted=False), figure_event("a2", count=5)], "country")
    assert totals["IQ"]["outcomes"]["killed"]["total"] == 5


def test_merge_adds_numbers_merges_dicts_and_keeps_first_labels():
    one = contribution(figure_event(count=3), "country")
    two = contribution(figure_event(count=4, outcome="injured", victim_type="unknown"), "country")
    merged = merge(merge({}, one), two)
    assert merged["name"] == "IQ"
    assert merged["outcomes"]["killed"]["total"] == 3 and merged["outcomes"]["injured"]["total"] == 4
    assert merge(merged, one)["outcomes"]["killed"] == {"total": 6, "incidents": 2, "victim_types": {"civilian": 6}}


def test_windowed_rows_pick_the_window_ending_now_or_list_days():
    spec = WINDOWS["24h"]
    now = 1_800_000_000.0
    current = spec.current_start(now)
    assert current <= now - spec.size + spec.step and current + spec.size > now
    value = {"name": "IQ", "outcomes": {"killed": {"total": 5, "incidents": 1, "victim_types": {}}}}
    items = [(["IQ", [current, current + spec.size]], value), (["IQ", [current - 3600, current]], value)]
    assert [row["key"] for row in windowed_rows(items, spec, now)] == ["IQ"]
    assert windowed_rows(items, spec, now, outcome="injured") == []
    days = [(["IQ", [86400.0 * 2, 86400.0 * 3]], value), (["IQ", [86400.0, 86400.0 * 2]], value)]
    assert [row["day"] for row in windowed_rows(days, WINDOWS["1d"], now)] == ["1970-01-02", "1970-01-03"]


def test_latest_figures_are_bounded_newest_first_and_replays_do_not_repeat():
    latest = None
    for n in range(7):
        latest = push_latest(latest, {"id": f"f{n}"}, limit=5)
    latest = push_latest(latest, {"id": "f6"}, limit=5)
    assert [item["id"] for item in latest] == ["f6", "f5", "f4", "f3", "f2"]


def test_article_record_drops_the_body_and_mentions_keep_actors_and_places():
    enriched = {"id": "a1", "body": "x" * 10_000, "published_at": "2016-01-11",
                "summary": {"entities": [{"id": "org:isis", "canonical": "Islamic State", "label": "ORG"},
                                         {"id": "cardinal:12", "canonical": "12", "label": "CARDINAL"},
                                         {"id": "place:geonames:98182", "canonical": "Baghdad", "label": "GPE"}]},
                "casualties": [], "meta": {"event_id": "a1@abc"}}
    assert "body" not in article_record(enriched)
    mentions = dict(mention_events(enriched))
    assert set(mentions) == {"ORG|org:isis", "GPE|place:geonames:98182"}
    assert mentions["ORG|org:isis"]["event_id"] == "a1@abc" and mentions["ORG|org:isis"]["day"] == "2016-01-11"
    rows = [{"label": "ORG", "canonical": "B", "articles": 2}, {"label": "ORG", "canonical": "A", "articles": 2},
            {"label": "GPE", "canonical": "C", "articles": 9}]
    assert [r["canonical"] for r in top_entities(rows, ["ORG"], 10)] == ["A", "B"]
