"""Property tests: any input, no exception, no negative or absurd count."""

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.casualties import extract_casualties
from streams.casualties.numbers import MAX_COUNT

_WORDS = st.sampled_from(
    [
        "killed",
        "were",
        "wounded",
        "at least",
        "999999999999",
        "dozens",
        "people",
        "and",
        "a man",
        "was shot",
        ",",
        ".",
        "\x00",
        "\n",
        "-1",
        "twenty-one",
        "since 2014",
        "including",
        "10-5",
        "1,000,000,000",
    ]
)


def _assert_sane(result):
    for outcome in ("killed", "injured"):
        value = result.summary[outcome]
        assert 0 <= value["min"] <= MAX_COUNT * 10
        assert value["max"] is None or value["max"] >= 0
    for figure in result.figures:
        count = figure["count"]
        assert 0 <= count["min"] <= MAX_COUNT
        assert count["max"] is None or count["min"] <= count["max"] <= MAX_COUNT


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text):
    _assert_sane(extract_casualties(text, title=text[:20], published_at=text[:10]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_casualty_like_word_salad_stays_sane(text):
    _assert_sane(extract_casualties(text))


def test_empty_and_wrong_types_give_an_empty_result():
    for body in ("", " ", "\x00\x01\x02", None, 42):
        result = extract_casualties(body, entities="not a list", published_at="2020-13-45")
        assert result.figures == [] and result.summary["killed"] == {"min": 0, "max": 0}


def test_deeply_nested_entities_do_not_break_it():
    nested: list = []
    for _ in range(200):
        nested = [nested]
    entities = [{"label": "PERSON", "start": "x", "end": None}, nested, {"label": {"deep": nested}}]
    result = extract_casualties("A man was killed in Kabul.", entities=entities)
    assert result.summary["killed"]["min"] == 1
