"""Validation and normalisation of raw article events: every input is an article or a reasoned rejection."""

import re
from pathlib import Path

import jsonschema
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.contract import build
from streams.contract.schema import (
    CASUALTY_SCHEMA,
    DEAD_LETTER_SCHEMA,
    ENRICHED_SCHEMA,
    RAW_SCHEMA,
    REJECT_SCHEMA,
    SCHEMA_VERSION,
    Limits,
    Reason,
    Rejection,
    decode_article,
    load_schema,
    schema_validator,
)

REPO = Path(__file__).resolve().parents[2]

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


# ---- the schema files: each on its own, generated from the code, validating real output ----------------------

SCHEMA_FILES = sorted(path.name for path in (REPO / "streams/contract/schemas").glob("*.json"))


def standalone(name: str) -> jsonschema.Draft202012Validator:
    """A validator that knows only this one file (no registry): what a consumer holding one schema has."""
    return schema_validator(name)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_each_schema_file_is_valid_and_refers_only_into_itself(name):
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    refs = re.findall(r'"\$ref": "([^"]*)"', (REPO / "streams/contract/schemas" / name).read_text())
    assert all(ref.startswith("#/$defs/") for ref in refs), [ref for ref in refs if not ref.startswith("#/")]
    for ref in refs:
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


def test_the_schema_files_are_what_the_code_generates():
    assert build.main(["--check"]) == 0, "run: .venv/bin/python -m streams.contract.build"


def test_closed_vocabularies_are_the_codes_own():
    from streams.casualties.knowledge import OUTCOMES, VICTIM_TYPES, knowledge
    from streams.entities.nlp import load_pipeline

    defs = load_schema(ENRICHED_SCHEMA)["$defs"]
    assert defs["outcome"]["enum"] == list(OUTCOMES)
    assert set(defs["victim_type"]["enum"]) == {*VICTIM_TYPES, "unknown"}
    assert defs["casualty_figure"]["properties"]["cause"]["anyOf"][0]["enum"] == [c for c, _ in knowledge().causes]
    assert set(defs["entity_mention"]["properties"]["label"]["enum"]) == set(load_pipeline().get_pipe("ner").labels)
    assert set(defs["summary"]["properties"]) >= set(OUTCOMES)


@pytest.fixture(scope="module")
def enrich_output(tmp_path_factory):
    """`streams enrich` on samples/articles.jsonl plus two broken lines: the events and the rejects."""
    from streams.cli import main

    folder = tmp_path_factory.mktemp("enrich")
    source = folder / "in.jsonl"
    source.write_bytes((REPO / "samples/articles.jsonl").read_bytes() + b'not json\n{"id": "x"}\n')
    output, rejects = folder / "out.jsonl", folder / "rejects.jsonl"
    code = main(["enrich", str(source), "-o", str(output), "--rejects", str(rejects), "--quiet"])
    assert code == 7  # the two broken lines
    events = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert len(events) == 5
    return events, [orjson.loads(line) for line in rejects.read_bytes().splitlines()]


def _errors(validator, instance) -> list[str]:
    return [f"{error.json_path}: {error.message[:200]}" for error in validator.iter_errors(instance)]


def test_enriched_events_validate_with_the_enriched_schema_alone(enrich_output):
    from streams.places import place_article

    validator = standalone(ENRICHED_SCHEMA)
    for event in enrich_output[0]:
        assert event["meta"]["schema_version"] == SCHEMA_VERSION
        assert _errors(validator, event) == []
        assert _errors(validator, place_article(event)) == []  # with the place stage's fields


def test_figure_events_validate_with_the_casualty_figure_schema_alone(enrich_output):
    from streams.enrichment.enricher import casualty_events
    from streams.places import place_article

    validator = standalone(CASUALTY_SCHEMA)
    figures = [figure for event in enrich_output[0] for figure in casualty_events(event)]
    placed = [figure for event in enrich_output[0] for figure in casualty_events(place_article(event))]
    assert len(figures) >= 10
    for figure in figures + placed:
        assert _errors(validator, figure) == []


def test_rejects_validate_with_the_reject_schema_alone(enrich_output):
    validator = standalone(REJECT_SCHEMA)
    rejects = enrich_output[1]
    assert [r["error"]["reason"] for r in rejects] == ["not_json", "missing_field"]
    for record in rejects:
        assert _errors(validator, record) == []


def test_the_summary_has_a_toll_for_every_outcome(enrich_output):
    from streams.casualties.knowledge import OUTCOMES

    by_id = {event["id"]: event["summary"] for event in enrich_output[0]}
    for summary in by_id.values():
        assert set(OUTCOMES) <= set(summary)
    assert by_id["sample-borno-attack"]["kidnapped"] == {"min": 40, "max": 40}  # "about 40 women" kidnapped


def test_dead_letter_headers_validate_with_the_dead_letter_schema_alone():
    from streams.enrichment.batch import DeadLetter, SourceRecord
    from streams.sources.feeds.config import Feed
    from streams.sources.feeds.fetch import Failure
    from streams.sources.feeds.run import dead_letter_headers

    validator = standalone(DEAD_LETTER_SCHEMA)
    record = SourceRecord(key=b"a", value=b"{", topic="articles.raw", partition=2, offset=17)
    reasons = load_schema(DEAD_LETTER_SCHEMA)["properties"]["dlq.reason"]["enum"]
    feed = Feed(url="https://example.org/rss", interval_seconds=60, language="en", source="example")
    for reason in reasons:
        for headers in (
            DeadLetter(record, reason, "x" * 2000, "validate").headers(),
            dead_letter_headers(Failure(reason, "detail"), "https://example.org/a", feed),
        ):
            as_object = {name: value.decode() for name, value in headers}
            assert _errors(validator, as_object) == []
    assert _errors(validator, {"dlq.reason": "no_such_reason"})


def test_an_event_of_an_earlier_minor_version_still_validates():
    """The compatibility rule (docs/event-contract.md): a minor version only adds, so 1.0.0 events stay valid."""
    event = orjson.loads((REPO / "tests/fixtures/contract/enriched-article-1.0.0.json").read_bytes())
    assert event["meta"]["schema_version"] == "1.0.0" and "kidnapped" not in event["summary"]
    assert _errors(standalone(ENRICHED_SCHEMA), event) == []


def test_the_schemas_reject_what_the_vocabularies_do_not_hold():
    figure = orjson.loads((REPO / "tests/fixtures/contract/enriched-article-1.0.0.json").read_bytes())["casualties"][0]
    validator = jsonschema.Draft202012Validator(
        {**load_schema(CASUALTY_SCHEMA)["$defs"]["casualty_figure"], "$defs": load_schema(CASUALTY_SCHEMA)["$defs"]},
        format_checker=standalone(CASUALTY_SCHEMA).format_checker,
    )
    assert _errors(validator, figure) == []
    assert _errors(validator, {**figure, "outcome": "killd"})
    assert _errors(validator, {**figure, "victim_type": "martian"})
    assert _errors(validator, {**figure, "date": "2024-13-45"})
    assert _errors(validator, {**figure, "perpetrator": {"entity_id": "org:x"}})
