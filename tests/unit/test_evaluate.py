"""Scoring rules of the eval command."""

import json

from streams.evaluate import classify_error, half_of, is_absurd, load_rows, main, parse_date, score, to_raw_event


def test_dates_of_every_set_become_iso():
    assert parse_date("2016-01-06") == "2016-01-06"
    assert parse_date("6-May-20") == "2020-05-06"
    assert parse_date("January 12, 2014") == "2014-01-12"
    assert parse_date("sometime") is None


def test_rows_become_raw_events():
    event = to_raw_event({"id": 7, "text": "body", "title": "t", "date": "January 12, 2014"})
    assert event == {"id": "7", "body": "body", "title": "t", "published_at": "2014-01-12"}


def _enriched(killed, figures=()):
    return {"summary": {"killed": {"min": killed}, "injured": {"min": None}}, "casualties": list(figures)}


def test_exact_match_skips_null_injuries_and_splits_acled():
    rows = [{"id": "a", "deaths": 2, "injured": None}, {"id": "b", "deaths": 0, "injured": 1}]
    report = score(rows, [_enriched(2), _enriched(0)], "acled")
    assert report["killed"]["exact"] == 1.0
    assert report["injured"]["n"] == 1 and report["injured"]["errors"] == {"missed": 1}
    assert report["acled_split"]["with_deaths"] == 1.0
    assert report["acled_split"]["zero_predicted_zero"] == 1.0


def test_error_kinds():
    def figure(n, vague=False):
        return {
            "outcome": "killed",
            "count": {"min": n, "vague": vague},
            "cumulative": False,
            "in_incident_total": True,
        }

    assert classify_error(0, 3, [], "killed") == "missed"
    assert classify_error(3, 0, [], "killed") == "spurious"
    assert classify_error(12, 30, [figure(12, vague=True)], "killed") == "vague"
    assert classify_error(8, 5, [figure(5), figure(3)], "killed") == "summed wrongly"
    assert classify_error(7, 5, [figure(7)], "killed") == "wrong number"


def test_main_runs_casualties_only(tmp_path, capsys):
    data = tmp_path / "wad.jsonl"
    data.write_text(
        json.dumps({"id": "x", "date": "2016-01-06", "text": "Gunmen killed 4 people.", "deaths": 4, "injured": 0})
        + "\n"
    )
    assert main(["--set", "wad", "--data", str(data), "--enricher", "casualties-only"]) == 0
    assert "killed" in capsys.readouterr().out


def test_seed_scoring_reads_the_gold_file(tmp_path):
    gold = {
        "article": {"id": "s", "body": "b", "published_at": "2017-07-24"},
        "expected_casualties": [
            {"count": {"min": 5, "max": 5}, "outcome": "killed", "according_to": "the army", "cumulative": True}
        ],
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(gold))
    rows = load_rows("seed", path)
    enriched = {
        "summary": {"killed": {"min": 0}},
        "casualties": [{"outcome": "killed", "count": {"min": 5}, "according_to": "the army", "cumulative": True}],
    }
    assert score(rows, [enriched], "seed")["seed"]["figures_found"] == 1


def test_sum_ratio_and_absurd_rows_with_their_evidence():
    figure = {
        "outcome": "killed",
        "count": {"min": 2017},
        "in_incident_total": True,
        "cumulative": False,
        "evidence": {"sentence": "January 9, 2017 Man dead after shootout"},
    }
    rows = [{"id": "a", "deaths": 2, "injured": None}, {"id": "b", "deaths": 3, "injured": None}]
    report = score(rows, [_enriched(2), _enriched(2017, [figure])], "gva")
    killed = report["killed"]
    assert killed["sum_ratio"] == 2019 / 5
    assert [row["id"] for row in killed["absurd"]] == ["b"]
    assert "Man dead after shootout" in killed["absurd"][0]["evidence"][0]
    assert not is_absurd(11, 2) and is_absurd(12, 2)


def test_halves_are_stable_and_keep_an_incident_whole():
    rows = [{"id": f"row-{n}"} for n in range(200)]
    halves = [half_of(row) for row in rows]
    assert halves == [half_of(row) for row in rows] and 60 < halves.count("a") < 140
    pages = [{"id": f"page-{n}", "incident_id": "17"} for n in range(10)]
    assert len({half_of(page) for page in pages}) == 1


def test_gva_incident_pages_are_scored_against_their_incident(tmp_path):
    incident = {
        "incident_id": 17,
        "date": "January 12, 2014",
        "killed": 1,
        "injured": 2,
        "articles": [
            {"id": "p1", "title": "t", "published_at": "2014-01-13", "body": "b1"},
            {"id": "p2", "title": None, "published_at": None, "body": "b2"},
        ],
    }
    path = tmp_path / "gvai.jsonl"
    path.write_text(json.dumps(incident) + "\n")
    rows = load_rows("gva-incidents", path)
    assert [(r["id"], r["incident_id"], r["deaths"], r["injured"]) for r in rows] == [
        ("p1", "17", 1, 2),
        ("p2", "17", 1, 2),
    ]
    assert to_raw_event(rows[1])["published_at"] == "2014-01-12"
    assert score(rows, [_enriched(1), _enriched(0)], "gva-incidents")["incidents"] == 1
