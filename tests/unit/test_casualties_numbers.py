"""Number words, qualifiers and the vague-word convention."""

import pytest

from streams.casualties.numbers import MAX_COUNT, Count, parse_count


def count_of(text: str) -> Count | None:
    parsed = parse_count(text.lower().split(), 0)
    return parsed[0] if parsed else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13", Count(13, 13, "exact")),
        ("1,200", Count(1200, 1200, "exact")),
        ("sixteen", Count(16, 16, "exact")),
        ("twenty-one", Count(21, 21, "exact")),
        ("two hundred and fifty", Count(250, 250, "exact")),
        ("a dozen", Count(12, 12, "exact")),
        ("two dozen", Count(24, 24, "exact")),
        ("half a dozen", Count(6, 6, "exact")),
        ("1.5 million", Count(1_500_000, 1_500_000, "exact")),
        ("at least 13", Count(13, None, "at_least")),
        ("no fewer than 26", Count(26, None, "at_least")),
        ("more than 20", Count(20, None, "more_than")),
        ("over 20", Count(20, None, "more_than")),
        ("about 30", Count(30, 30, "about")),
        ("nearly fifteen", Count(15, 15, "about")),
        ("up to 40", Count(40, 40, "up_to")),
        ("between 20 and 30", Count(20, 30, "range")),
        ("10-15", Count(10, 15, "range")),
        ("two or three", Count(2, 3, "range")),
    ],
)
def test_counts_follow_the_coding_conventions(text, expected):
    assert count_of(text) == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("dozens", 12),
        ("scores", 20),
        ("hundreds", 100),
        ("several", 3),
        ("a few", 3),
        ("thousands", 1000),
    ],
)
def test_vague_words_map_by_convention_and_are_flagged(text, value):
    count = count_of(text)
    assert count == Count(value, None, "exact", True)


@pytest.mark.parametrize("text", ["999999999999", "people", "", "the"])
def test_non_counts_and_absurd_numbers_are_refused(text):
    assert count_of(text) is None


def test_the_cap_is_ten_million():
    assert count_of(str(MAX_COUNT)).min == MAX_COUNT
    assert count_of(str(MAX_COUNT + 1)) is None


@pytest.mark.parametrize(
    "text,low",
    [
        ("twenty-one", 21),
        ("a dozen", 12),
        ("between 20 and 30", 20),
        ("several", 3),
        ("tens of thousands", 10_000),
        ("1,200", 1200),
        ("at least 13", 13),
        ("half a dozen", 6),
        ("10-15", 10),
    ],
)
def test_count_gate_keeps_every_count(text, low):
    parsed = parse_count(text.split(), 0)
    assert parsed is not None and parsed[0].min == low


def test_count_gate_skips_other_words():
    assert parse_count(["people"], 0) is None and parse_count([], 0) is None
