"""A number is a toll only when it counts people; the page, statistics, earlier incidents and
outliers are not the article's incident.

The made-up sentences are data (tests/cases/casualties/number-kinds.jsonl, one kind of number per
case, and page-and-story.jsonl), run here family by family; the kind a number is named is checked
on sentences below."""

from __future__ import annotations

import pytest

from streams.casualties.counted import _noun_phrase_end
from streams.casualties.number_kinds import kind_of_number
from streams.casualties.numbers import parse_count
from streams.casualties.text import tokenize

from .rule_cases import RuleCase, case_params
from .test_casualty_rule_cases import CASES, problems_of, run

FAMILIES = ("number-kinds", "page-and-story")


@pytest.mark.parametrize("case", case_params([case for case in CASES if case.family in FAMILIES]))
def test_number_kinds_and_the_articles_own_story(case: RuleCase):
    problems = problems_of(run(case.text, case.inputs), case.expect)
    assert not problems, f"{case.where}: {problems}"


KINDS = [
    ("Related Articles December 26, 2016 Jeffco teen dies", "2016", "year"),
    ("He was charged in the Nov. 29 death of a boy", "29", "day"),
    ("Two men were shot at 3 a.m. near the bar", "3", "time"),
    ("Investigation into Fatal Shooting at 9780 Bissonnet", "9780", "address"),
    ("A woman was shot in the 700 block of Leaflet Lane", "700", "address"),
    ("police found the 911 caller's father dead", "911", "emergency number"),
    ("call Crime Stoppers at 555-1234 after the shooting", "555-1234", "phone"),
    ("Tobiasz Cudnik, 32 were all transported to the hospital", "32", "age"),
    ("three men, ages 19, 21 and 22, were shot", "21", "age"),
    ("Police offered a $5,000 reward", "5,000", "money"),
    ("Homicides fell 43 percent this year", "43", "percentage"),
    ("A man was shot on 8th Street", "8", "ordinal"),
    ("The home team won 3-1 before the fight", "3-1", "score"),
    ("Weapon was a single shot 223, deputies said", "223", "calibre"),
    ("He fired a .40 caliber handgun", "40", "calibre"),
    ("Image 20 of 32 Stephen and Katie Stay were killed", "32", "label"),
    ("investigators had executed 44 search warrants", "44", "count of things"),
    ("a reading of 1e309 killed the parser", "1", "scientific notation"),
    ("Gunmen killed 12 people in the market", "12", None),
    ("In Kabul, 12 were killed when the bomb went off", "12", None),
    ("The floods killed 911 villagers", "911", None),
]


@pytest.mark.parametrize(("sentence", "number", "kind"), KINDS, ids=[f"{k}: {s[:40]}" for s, _, k in KINDS])
def test_the_kind_a_number_is(sentence, number, kind):
    tokens = tokenize(sentence)
    words = [t.lower for t in tokens]
    start = next(i for i, t in enumerate(tokens) if t.text == number)
    parsed = parse_count(words, start)
    end = parsed[1] if parsed else start + 1
    assert kind_of_number(tokens, words, start, end, _noun_phrase_end(tokens, end)) == kind
