"""Validation and normalisation of raw article events: every input is an article or a reasoned rejection."""

import jsonschema
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.contract.schema import RAW_SCHEMA, Limits, Reason, Rejection, decode_article, load_schema

RAW_VALIDATOR = jsonschema.Draft202012Validator(load_schema(RAW_SCHEMA))


def test_a_good_event_is_normalised():
    article = decode_article(
        orjson.dumps(
            {
                "id": " a-1 ",
                "body": "Text\x00with a NUL",
                "title": "T",
                "published_at": "Mon, 24 Jul 2017 10:00:00 GMT",
                "language": "en",
                "extra": "ignored",
            }
        )
    )
    assert article == {
        "id": "a-1",
        "body": "Text with a NUL",
        "title": "T",
        "published_at": "2017-07-24T10:00:00+00:00",
        "language": "en",
    }
    RAW_VALIDATOR.validate(article)


def test_text_alias_only_where_allowed():
    line = orjson.dumps({"id": 7, "text": "Body here"})
    assert decode_article(line, allow_text_alias=True) == {"id": "7", "body": "Body here"}
    assert decode_article(line).reason == Reason.MISSING_FIELD


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\xff\xfe{}", Reason.INVALID_UTF8),
        (b"{not json", Reason.NOT_JSON),
        (b"[" * 5000 + b"]" * 5000, Reason.TOO_DEEP),
        (b"[1, 2]", Reason.NOT_OBJECT),
        (b'{"body": "x"}', Reason.MISSING_FIELD),
        (b'{"id": "x"}', Reason.MISSING_FIELD),
        (b'{"id": "x", "body": 3}', Reason.WRONG_TYPE),
        (b'{"id": ["x"], "body": "y"}', Reason.WRONG_TYPE),
        (b'{"id": "x", "body": "   "}', Reason.EMPTY_FIELD),
        (b'{"id": "x", "body": "y", "published_at": "yesterday"}', Reason.WRONG_TYPE),
        (b'{"id": "x", "body": "y", "title": {"a": 1}}', Reason.WRONG_TYPE),
    ],
)
def test_each_defect_has_its_reason(data, reason):
    result = decode_article(data)
    assert isinstance(result, Rejection) and result.reason == reason, result
    assert result.detail


def test_body_limit():
    limits = Limits(max_body_chars=10)
    assert decode_article(orjson.dumps({"id": "x", "body": "a" * 11}), limits).reason == Reason.TOO_LARGE
    assert decode_article(orjson.dumps({"id": "x", "body": "a" * 10}), limits)["body"] == "a" * 10


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    result = decode_article(data)
    assert isinstance(result, (dict, Rejection))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
events = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=20), st.integers(-(2**63), 2**63 - 1), json_values),
        "body": st.one_of(st.text(max_size=200), json_values),
        "title": st.one_of(st.text(max_size=20), json_values),
        "published_at": st.one_of(st.dates().map(str), st.text(max_size=20)),
        "language": st.sampled_from(["en", "fr-CA", "english", ""]),
    },
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(events, json_values))
def test_random_json_is_accepted_only_as_a_schema_valid_article(value):
    result = decode_article(orjson.dumps(value))
    if isinstance(result, dict):
        RAW_VALIDATOR.validate(result)
    else:
        assert result.reason in vars(Reason).values()
