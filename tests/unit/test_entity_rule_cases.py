"""The entity stage's domain rules on made-up sentences, one case per line of tests/cases/entities/<family>.jsonl.

A case gives the text and names what it checks about the mentions found:
  found              [text, label] pairs that must be among the mentions
  not_found          [text, label] pairs that must not be
  mentions_include   patterns that some mention must match (e.g. {"text": "Kherson", "country": "UA"})
  mentions_exclude   patterns that no mention may match
Matching is described in tests/unit/rule_cases.py.
"""

from __future__ import annotations

import pytest

from streams.entities import EntityRecognizer

from .rule_cases import RuleCase, case_params, each_included, load_cases, none_matching

EXPECT_KEYS = {"found", "not_found", "mentions_include", "mentions_exclude"}
CASES = load_cases("entities", set(), EXPECT_KEYS)


@pytest.fixture(scope="module")
def recognizer():
    return EntityRecognizer()


def problems_of(mentions: list[dict], expect: dict) -> list[str]:
    found = {(m["text"], m["label"]) for m in mentions}
    problems = [f"{pair} not found" for pair in map(tuple, expect.get("found", [])) if pair not in found]
    problems += [f"{pair} found" for pair in map(tuple, expect.get("not_found", [])) if pair in found]
    problems += each_included(mentions, expect.get("mentions_include", []), "mention")
    problems += none_matching(
        mentions, expect.get("mentions_exclude", []), "mention", lambda m: (m.get("text"), m.get("label"))
    )
    return problems


@pytest.mark.parametrize("case", case_params(CASES))
def test_entity_rule_case(recognizer, case: RuleCase):
    mentions = recognizer.recognize(case.text)
    problems = problems_of(mentions, case.expect)
    found = sorted({(m["text"], m["label"]) for m in mentions})
    assert not problems, f"{case.where} {case.id}: {problems}; found {found}; text {case.text!r}"
