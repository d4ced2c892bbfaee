"""Long texts go through the model in bounded pieces; offsets still point into the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.entities.recognizer import MAX_PIECE_CHARS, EntityRecognizer, pieces


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(min_value=1, max_value=60))
@settings(max_examples=300)
def test_pieces_cover_the_text_in_order_and_respect_the_limit(text, limit):
    parts = list(pieces(text, limit))
    assert "".join(piece for _, piece in parts) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in parts)
    assert all(len(piece) <= limit for _, piece in parts)


def test_pieces_end_at_a_paragraph_break_when_there_is_one():
    text = "First paragraph. It goes on.\nSecond paragraph here. More words follow it."
    (_, first), (offset, second), *_ = pieces(text, 40)
    assert first == "First paragraph. It goes on.\n"
    assert second.startswith("Second") and offset == len(first)


def test_a_short_text_is_one_piece():
    assert list(pieces("Aleppo was shelled.")) == [(0, "Aleppo was shelled.")]


@pytest.fixture(scope="module")
def recognizer():
    return EntityRecognizer()


def test_mentions_in_later_pieces_carry_offsets_into_the_whole_text(recognizer):
    paragraph = "The village council met again on Tuesday to discuss the harvest and the roads.\n"
    text = paragraph * (2 * MAX_PIECE_CHARS // len(paragraph)) + "Rupert Jones arrived in Baghdad on Monday.\n"
    mentions = recognizer.recognize_batch([text, "Rupert Jones arrived in Baghdad on Monday."])
    tail = {m["text"]: m for m in mentions[0]}
    assert {"Rupert Jones", "Baghdad"} <= set(tail)
    for mention in tail.values():
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert {m["text"] for m in mentions[1]} >= {"Rupert Jones", "Baghdad"}
