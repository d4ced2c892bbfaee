"""A victim mention as written, and the token tests the mention readers share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.casualties.numbers import Count
from streams.casualties.text import Token

AGED = re.compile(r"^\d{1,3}-year-old$")


@dataclass
class Mention:
    """A group of victims as written, with the token span [start, end) it covers."""

    count: Count
    count_text: str
    victims: str
    start: int
    end: int
    lone: bool = False
    victim_words: tuple[str, ...] = ()


def is_word(token: Token) -> bool:
    return token.text[0].isalpha()


def span_text(tokens: list[Token], start: int, end: int) -> str:
    return " ".join(t.text for t in tokens[start:end])


def lone_mention(tokens: list[Token], words: list[str], start: int, end: int, count: Count | None = None) -> Mention:
    """One victim (or ``count``) named by the tokens [start, end)."""
    text = span_text(tokens, start, end)
    return Mention(count or Count(1, 1, "exact"), text, text, start, end, True, tuple(words[start:end]))
