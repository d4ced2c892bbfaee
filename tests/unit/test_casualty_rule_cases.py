"""The casualty rules on hand-written sentences, one case per line of tests/cases/casualties/<family>.jsonl.

A case gives the article (text, and title, published_at, entities where they matter) and names what it checks:
  killed, injured    the incident summary's minimum (a number, or an operator such as {"$ne": 31})
  summary            a subset of the summary, e.g. {"cumulative": [{"min": 500}]}
  figure             a subset of the first figure
  figures            every figure, in order, each a subset
  figures_include    patterns that some figure must match
  same_summary_as    another article ({"text": ..., "title": ...}) whose killed and injured minimums must be equal
Matching is described in tests/unit/rule_cases.py.
"""

from __future__ import annotations

import pytest

from streams.casualties import CasualtyResult, extract_casualties

from .rule_cases import RuleCase, case_params, each_included, entities_at, load_cases, mismatches

INPUT_KEYS = {"title", "published_at", "entities"}
EXPECT_KEYS = {"killed", "injured", "summary", "figure", "figures", "figures_include", "same_summary_as"}
CASES = load_cases("casualties", INPUT_KEYS, EXPECT_KEYS)


def run(text: str, inputs: dict) -> CasualtyResult:
    kwargs = dict(inputs)
    if "entities" in kwargs:
        kwargs["entities"] = entities_at(text, kwargs["entities"])
    return extract_casualties(text, **kwargs)


def problems_of(result: CasualtyResult, expect: dict) -> list[str]:
    found: list[str] = []
    for outcome in ("killed", "injured"):
        if outcome in expect:
            found += mismatches(result.summary[outcome]["min"], expect[outcome], f"summary.{outcome}.min")
    if "summary" in expect:
        found += mismatches(result.summary, expect["summary"], "summary")
    if "figure" in expect:
        first = result.figures[0] if result.figures else None
        found += mismatches(first, expect["figure"], "figures[0]") if first else ["no figure at all"]
    if "figures" in expect:
        found += mismatches(result.figures, expect["figures"], "figures")
    if "figures_include" in expect:
        found += each_included(result.figures, expect["figures_include"], "figure")
    if "same_summary_as" in expect:
        other = expect["same_summary_as"]
        theirs = run(other["text"], {key: value for key, value in other.items() if key != "text"}).summary
        for outcome in ("killed", "injured"):
            if result.summary[outcome]["min"] != theirs[outcome]["min"]:
                found.append(f"{outcome}: {result.summary[outcome]['min']} here, {theirs[outcome]['min']} there")
    return found


@pytest.mark.parametrize("case", case_params(CASES))
def test_casualty_rule_case(case: RuleCase):
    result = run(case.text, case.inputs)
    problems = problems_of(result, case.expect)
    got = {outcome: result.summary[outcome]["min"] for outcome in ("killed", "injured")}
    assert not problems, f"{case.where} {case.id}: {problems}; summary minimums {got}; text {case.text!r}"
