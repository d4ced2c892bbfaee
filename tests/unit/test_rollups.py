"""The pure rollup functions: which figures count, the dedup key, incident records, window panes, the derived
aggregates (equal to the reference `rollup`, independent of order and repetition) and merging."""

from __future__ import annotations

import random

import faust

from streams.rollups import (
    DAY,
    HOUR,
    WINDOWS,
    Aggregates,
    article_record,
    casualty_contributions,
    contribution,
    dedup_key,
    incident_day,
    incident_record,
    join_incidents,
    mention_contributions,
    mention_events,
    merge,
    push_latest,
    rollup,
    same_article_version,
    top_entities,
    windowed_rows,
)

NOW = 1_800_000_000.0 + 5 * HOUR + 17.5  # a fixed "now", mid-hour


def figure_event(
    article_id="a1",
    place="place:geonames:98182",
    country="IQ",
    outcome="killed",
    count=12,
    count_max=None,
    date=None,
    published_at="2016-01-11",
    victim_type="civilian",
    counted=True,
    event_id=None,
):
    return {
        "event_id": event_id or f"{article_id}-{outcome}-{count}",
        "article_id": article_id,
        "place_key": place,
        "country": country,
        "figure": {
            "outcome": outcome,
            "count": {"min": count, "max": count_max, "text": str(count)},
            "victim_type": victim_type,
            "date": date,
            "in_incident_total": counted,
            "cumulative": not counted,
            "locations": [{"text": "Baghdad", "entity_id": place, "canonical": "Baghdad", "country": country}],
            "evidence": {"sentence": "Twelve people were killed in Baghdad."},
        },
        "article": {"published_at": published_at, "source": "AFP"},
        "meta": {"processed_at": "2026-11-25T10:00:00+00:00"},
    }


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
        "total": 12,
        "incidents": 1,
        "victim_types": {"civilian": 12},
    }


def test_different_day_count_or_outcome_are_different_incidents():
    base = figure_event()
    assert (
        len(
            {
                dedup_key(e)
                for e in (
                    base,
                    figure_event(count=13),
                    figure_event(outcome="injured"),
                    figure_event(date="2016-01-09"),
                )
            }
        )
        == 4
    )


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
    enriched = {
        "id": "a1",
        "body": "x" * 10_000,
        "published_at": "2016-01-11",
        "summary": {
            "entities": [
                {"id": "org:isis", "canonical": "Islamic State", "label": "ORG"},
                {"id": "cardinal:12", "canonical": "12", "label": "CARDINAL"},
                {"id": "place:geonames:98182", "canonical": "Baghdad", "label": "GPE"},
            ]
        },
        "casualties": [],
        "meta": {"event_id": "a1@abc"},
    }
    assert "body" not in article_record(enriched)
    mentions = dict(mention_events(enriched))
    assert set(mentions) == {"ORG|org:isis", "GPE|place:geonames:98182"}
    assert mentions["ORG|org:isis"]["event_id"] == "a1@abc" and mentions["ORG|org:isis"]["day"] == "2016-01-11"
    rows = [
        {"label": "ORG", "canonical": "B", "articles": 2},
        {"label": "ORG", "canonical": "A", "articles": 2},
        {"label": "GPE", "canonical": "C", "articles": 9},
    ]
    assert [r["canonical"] for r in top_entities(rows, ["ORG"], 10)] == ["A", "B"]


# ---- incidents, panes and derived aggregates -----------------------------------------------------------------


def store_incidents(events_with_times, table=None, aggregates=None):
    """What the casualties agent does, without Kafka: at most one write per report, the joined record."""
    table = {} if table is None else table
    for event, reported_at in events_with_times:
        if event["figure"]["in_incident_total"]:
            key = dedup_key(event)
            joined = join_incidents(table.get(key), incident_record(event, reported_at))
            if joined != table.get(key):
                if aggregates is not None:
                    aggregates.insert(key, table.get(key), joined, now=NOW)
                table[key] = joined
    return table


def folded(aggregates, group, window, now=NOW):
    """Window rows folded to {key: {name, country, outcomes}} like the integration tests' api_totals_by_key."""
    totals = {}
    for row in windowed_rows(aggregates.window_items(group, window, now), WINDOWS[window], now):
        value = {name: row[name] for name in ("name", "country", "outcomes")}
        totals[row["key"]] = merge(totals.get(row["key"]), value)
    return totals


def some_events():
    events = [
        figure_event("a2", count=12),
        figure_event("a1", count=12, published_at="2016-01-11T08:00:00Z", victim_type="unknown"),
        figure_event("a3", count=12, victim_type="military"),
        figure_event("a3", count=3, outcome="injured", victim_type="military"),
        figure_event("a4", place="place:geonames:99072", country="IQ", count=7, date="2016-01-09"),
        figure_event("a5", place="place:geonames:170654", country="SY", count=40),
        figure_event("a6", count=603, counted=False),
        figure_event("a7", place="unknown", country=None, count=2),
        figure_event("a8", place="unknown", country=None, count=2),
    ]
    return [(event, NOW - 600 + n) for n, event in enumerate(events)]


def test_incident_record_and_join_are_the_same_whatever_the_order_and_repetition_of_reports():
    event = figure_event("a1", count=12, date="2016-01-10", victim_type="civilian", event_id="fig-2")
    record = incident_record(event, 1_700_000_000.5)
    assert record == {
        "place": "place:geonames:98182",
        "name": "Baghdad",
        "country": "IQ",
        "outcome": "killed",
        "count": 12,
        "victim_type": "civilian",
        "day": "2016-01-10",
        "reported_at": 1_700_000_000.5,
        "figure_id": "fig-2",
    }
    other = incident_record(
        figure_event("a2", count=12, date="2016-01-10", victim_type="unknown", event_id="fig-1"), 1_700_000_100.0
    )
    third = incident_record(
        figure_event("a3", count=12, date="2016-01-10", victim_type="military", event_id="fig-3"), 1_699_999_000.0
    )
    assert join_incidents(None, record) == record and join_incidents(record, record) == record
    expected = {**other, "reported_at": 1_699_999_000.0}  # smallest figure id's attributes, earliest report
    for order in ([record, other, third], [third, other, record], [other, record, third, record, other]):
        stored = None
        for report in order:
            stored = join_incidents(stored, report)
        assert stored == expected


def test_panes_are_those_faust_hopping_windows_put_in_the_window_answered_now():
    chooser = random.Random(7)
    for spec in (WINDOWS["24h"], WINDOWS["7d"]):
        start = spec.current_start(NOW)
        assert start == faust.HoppingWindow(spec.size, spec.step).earliest(NOW)[0]
        assert start <= NOW < start + spec.size and start + spec.size - spec.step <= NOW
        first, last = spec.window_buckets(NOW)
        for _ in range(2000):
            timestamp = NOW - chooser.uniform(0, 10 * DAY)
            pane = spec.bucket(timestamp)
            assert pane == faust.TumblingWindow(spec.step).current(timestamp)[0]
            assert pane <= timestamp < pane + spec.step
            in_window = any(
                abs(window_start - start) < 1e-6 for window_start, _ in spec.faust_window().ranges(timestamp)
            )
            assert (first <= pane <= last) == in_window, (spec.name, timestamp)
    assert WINDOWS["24h"].window_buckets(NOW) == (WINDOWS["24h"].bucket(NOW) - 23 * HOUR, WINDOWS["24h"].bucket(NOW))


def test_aggregates_agree_with_the_reference_rollup_in_every_window():
    events = some_events()
    for order in (events, events[::-1], events + events):
        aggregates = Aggregates(casualty_contributions)
        aggregates.rebuild([])
        store_incidents(order, aggregates=aggregates)
        for scope in ("place", "country"):
            expected = rollup([event for event, _ in order], scope)
            assert expected == rollup([event for event, _ in events], scope)
            for window in ("1d", "24h", "7d"):
                assert folded(aggregates, scope, window) == expected, (scope, window)
    days = windowed_rows(aggregates.window_items("place", "1d", NOW), WINDOWS["1d"], NOW)
    assert [(row["key"], row["day"]) for row in days if row["key"] == "place:geonames:99072"] == [
        ("place:geonames:99072", "2016-01-09")
    ]
    baghdad = folded(aggregates, "place", "24h")["place:geonames:98182"]["outcomes"]["killed"]
    assert baghdad == {"total": 12, "incidents": 1, "victim_types": {"unknown": 12}}, "a1's, the smallest figure id"


def rows(aggregates, group, window, now=NOW):
    return windowed_rows(aggregates.window_items(group, window, now), WINDOWS[window], now)


def test_same_records_twice_or_in_another_order_give_the_same_aggregates():
    events = some_events()
    table = store_incidents(events)
    assert store_incidents(events + events[::-1], table=dict(table)) == table, "a replay writes nothing new"
    reference = Aggregates(casualty_contributions)
    reference.rebuild(table.items(), now=NOW)
    chooser = random.Random(3)
    for _ in range(20):
        items = list(table.items())
        chooser.shuffle(items)
        incremental, stored = Aggregates(casualty_contributions), {}
        incremental.rebuild([], now=NOW)
        for key, record in items + items[::-1]:  # the second pass rewrites keys already present: no change
            incremental.insert(key, stored.get(key), record, now=NOW)
            stored[key] = record
        twice = Aggregates(casualty_contributions)
        twice.rebuild(items, now=NOW)
        twice.rebuild(items[::-1], now=NOW)
        for window in WINDOWS:
            for scope in ("place", "country"):
                assert (
                    rows(incremental, scope, window) == rows(reference, scope, window) == rows(twice, scope, window)
                ), (scope, window)


def test_the_smallest_incident_key_names_the_row_whatever_the_order():
    first = incident_record(figure_event("a1", count=3), NOW - 50)
    later = incident_record(figure_event("a2", count=4), NOW - 100)
    later["name"] = "Bagdad"
    for order in ([("k1", first), ("k2", later)], [("k2", later), ("k1", first)]):
        aggregates = Aggregates(casualty_contributions)
        aggregates.rebuild(order, now=NOW)
        assert [row["name"] for row in rows(aggregates, "place", "24h")] == ["Baghdad"]


def test_writes_while_a_rebalance_is_pending_are_left_to_the_rebuild():
    table = store_incidents(some_events())
    aggregates = Aggregates(casualty_contributions)
    assert aggregates.dirty
    key, record = next(iter(table.items()))
    aggregates.insert(key, None, record, now=NOW)
    assert rows(aggregates, "place", "7d") == []
    aggregates.refresh(lambda: table.items(), ready=False)
    assert aggregates.dirty
    aggregates.refresh(lambda: table.items(), ready=True)
    expected = Aggregates(casualty_contributions)
    expected.rebuild(table.items(), now=NOW)
    assert not aggregates.dirty and rows(aggregates, "place", "7d") == rows(expected, "place", "7d")
    aggregates.invalidate()
    assert aggregates.dirty


def test_old_panes_are_pruned_but_incident_days_stay():
    aggregates = Aggregates(casualty_contributions)
    aggregates.rebuild([], now=NOW)
    old = incident_record(figure_event("a1", count=5), NOW - 3 * DAY)
    older = incident_record(figure_event("a2", count=6, date="2016-01-01"), NOW - 9 * DAY)
    aggregates.insert("k-old", None, old, now=NOW - 3 * DAY)
    aggregates.insert("k-older", None, older, now=NOW - 9 * DAY)
    assert len(aggregates.cells["7d"]) == 2 and len(aggregates.cells["24h"]) == 2
    assert [row["outcomes"]["killed"]["total"] for row in rows(aggregates, "place", "7d")] == [5]
    assert len(aggregates.cells["7d"]) == 1 and aggregates.cells["24h"] == {}, "pruned by the query"
    assert sorted(row["day"] for row in rows(aggregates, "place", "1d")) == ["2016-01-01", "2016-01-11"]
    aggregates.rebuild([("k-old", old), ("k-older", older)], now=NOW)
    assert len(aggregates.cells["7d"]) == 1 and len(aggregates.cells["1d"]) == 2


def enriched_article(article_id="a1", event_id="a1@v1", entities=("org:isis",), published_at="2016-01-11"):
    names = {
        "org:isis": ("ORG", "Islamic State"),
        "org:sdf": ("ORG", "Syrian Democratic Forces"),
        "person:jones": ("PERSON", "Rupert Jones"),
    }
    return {
        "id": article_id,
        "published_at": published_at,
        "body": "...",
        "summary": {
            "entities": [
                {"id": entity, "label": names[entity][0], "canonical": names[entity][1]} for entity in entities
            ]
            * 2
        },
        "casualties": [],
        "meta": {"event_id": event_id, "processed_at": "2026-11-25T10:00:00+00:00"},
    }


def test_mentions_count_articles_once_replays_change_nothing_and_a_new_version_replaces_the_old():
    aggregates, articles = Aggregates(mention_contributions), {}
    aggregates.rebuild([], now=NOW)

    def index(enriched, reported_at):  # what the articles agent does
        record = article_record(enriched, reported_at)
        stored = articles.get(enriched["id"])
        if not same_article_version(stored, record):
            articles[enriched["id"]] = record
            aggregates.insert(enriched["id"], stored, record, now=NOW)

    index(enriched_article("a1", entities=("org:isis", "org:sdf")), NOW - 60)
    index(enriched_article("a2", entities=("org:isis",)), NOW - 50)
    index(enriched_article("a1", entities=("org:isis", "org:sdf")), NOW - 10)  # replay, later timestamp
    assert articles["a1"]["mentions"]["reported_at"] == NOW - 60, "first report time kept"
    counts = {row["canonical"]: row["articles"] for row in rows(aggregates, "entities", "24h")}
    assert counts == {"Islamic State": 2, "Syrian Democratic Forces": 1}
    index(enriched_article("a1", event_id="a1@v2", entities=("person:jones",), published_at="2016-01-12"), NOW)
    counts = {row["canonical"]: row["articles"] for row in rows(aggregates, "entities", "7d")}
    assert counts == {"Islamic State": 1, "Rupert Jones": 1}
    days = {(row["canonical"], row["day"]) for row in rows(aggregates, "entities", "1d")}
    assert days == {("Islamic State", "2016-01-11"), ("Rupert Jones", "2016-01-12")}
    rebuilt = Aggregates(mention_contributions)
    rebuilt.rebuild(reversed(list(articles.items())), now=NOW)
    for window in WINDOWS:
        assert rows(rebuilt, "entities", window) == rows(aggregates, "entities", window)
    row = rows(rebuilt, "entities", "24h")[0]
    assert set(row) == {"key", "label", "id", "canonical", "country", "articles"}


def test_a_moved_contribution_leaves_no_trace_and_zero_counts_still_show():
    aggregates = Aggregates(casualty_contributions)
    aggregates.rebuild([], now=NOW)
    military = incident_record(figure_event("a2", count=12, victim_type="military"), NOW - 60)
    unknown = join_incidents(military, incident_record(figure_event("a1", count=12, victim_type="unknown"), NOW))
    aggregates.insert("k", None, military, now=NOW)
    aggregates.insert("k", military, unknown, now=NOW)
    aggregates.insert("zero", None, incident_record(figure_event("a3", count=0, outcome="injured"), NOW), now=NOW)
    [row] = rows(aggregates, "country", "24h")
    assert row["outcomes"] == {
        "killed": {"total": 12, "incidents": 1, "victim_types": {"unknown": 12}},
        "injured": {"total": 0, "incidents": 1, "victim_types": {"civilian": 0}},
    }
    rebuilt = Aggregates(casualty_contributions)
    rebuilt.rebuild(
        [("k", unknown), ("zero", incident_record(figure_event("a3", count=0, outcome="injured"), NOW))], now=NOW
    )
    assert rows(rebuilt, "country", "24h") == [row]
