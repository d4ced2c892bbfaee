"""The matcher and loader behind the rule cases: a case passes only when what it names holds."""

import json

import pytest

from .rule_cases import each_included, entities_at, load_cases, mismatches, none_matching


@pytest.mark.parametrize(
    "actual, expected",
    [
        ({"min": 3, "max": None}, {"min": 3}),
        ({"count": {"min": 3, "text": "three"}, "outcome": "killed"}, {"outcome": "killed", "count": {"min": 3}}),
        ([{"min": 1, "x": 0}, {"min": 2}], [{"min": 1}, {"min": 2}]),
        (None, None),
        ({"a": 1}, {"a": {"$eq": 1}}),
        ({"a": {"b": 1}}, {"a": {"$eq": {"b": 1}}}),
        (31, {"$ne": 30}),
        ("Sheriff Chuck Smith", {"$regex": "^(?=.*Sheriff)(?=.*Smith)"}),
    ],
)
def test_what_a_case_names_is_matched(actual, expected):
    assert mismatches(actual, expected) == []


@pytest.mark.parametrize(
    "actual, expected",
    [
        ({"min": 3}, {"min": 4}),
        ({"min": 3}, {"max": 3}),  # a named key must be there
        ([{"min": 1}, {"min": 2}], [{"min": 1}]),  # a list checks its length
        ([{"min": 2}, {"min": 1}], [{"min": 1}, {"min": 2}]),  # and its order
        (1, True),  # True is not 1
        (0, None),  # None is only None
        ({"a": 1, "b": 2}, {"$eq": {"a": 1}}),  # exactly: no extra keys
        (30, {"$ne": 30}),
        ("Chuck Smith", {"$regex": "Sheriff"}),
        (None, {"count": {"min": 1}}),
    ],
)
def test_what_departs_from_the_case_is_reported(actual, expected):
    assert mismatches(actual, expected)


def test_include_and_exclude_over_a_list():
    mentions = [{"text": "Kherson", "label": "GPE", "country": "UA"}, {"text": "Monday", "label": "DATE"}]
    assert each_included(mentions, [{"text": "Kherson", "country": "UA"}], "mention") == []
    assert each_included(mentions, [{"text": "Kherson", "country": "RU"}], "mention")
    assert none_matching(mentions, [{"label": "PERSON"}], "mention") == []
    assert none_matching(mentions, [{"label": {"$ne": "GPE"}}], "mention")


def test_an_entity_at_words_is_placed_at_their_first_occurrence():
    text = "Mayor Ana Ruiz was shot. Ana Ruiz died."
    assert entities_at(text, [{"label": "PERSON", "at": "Ana Ruiz"}]) == [{"label": "PERSON", "start": 6, "end": 14}]
    explicit = {"label": "PERSON", "start": 25, "end": 33}
    assert entities_at(text, [explicit]) == [explicit]


def _write(tmp_path, *rows):
    (tmp_path / "area").mkdir()
    lines = [json.dumps(row) for row in rows]
    (tmp_path / "area" / "family.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cases_load_with_their_family_and_inputs(tmp_path):
    _write(tmp_path, {"id": "one", "text": "Two died.", "title": "T", "expect": {"killed": 2}})
    (case,) = load_cases("area", {"title"}, {"killed"}, root=tmp_path)
    assert (case.family, case.id, case.inputs, case.expect) == ("family", "one", {"title": "T"}, {"killed": 2})
    assert case.where == "area/family.jsonl:1"


@pytest.mark.parametrize(
    "rows",
    [
        [{"id": "one", "text": "x", "expect": {"killed": 1}, "titel": "typo"}],  # unknown input
        [{"id": "one", "text": "x", "expect": {"kiled": 1}}],  # unknown check
        [{"id": "one", "text": "x", "expect": {}}],  # checks nothing
        [{"id": "one", "text": "x", "expect": {"killed": 1}}, {"id": "one", "text": "y", "expect": {"killed": 1}}],
    ],
)
def test_malformed_cases_fail_loudly(tmp_path, rows):
    _write(tmp_path, *rows)
    with pytest.raises(ValueError):
        load_cases("area", {"title"}, {"killed"}, root=tmp_path)
