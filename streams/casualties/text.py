"""Light text handling: sentences and word tokens with character offsets, no NLP model.

A regex splitter is enough here: figures are read clause by clause, and spaCy's parser would
cost several times the whole budget of this stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.casualties.knowledge import knowledge, words

_ABBREVIATIONS = words("abbreviations")


def _slips(word: str) -> set[str]:
    """One swapped or dropped letter, five letters or more left."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    return {slip for slip in swapped | dropped if len(slip) >= 5}


# Slips of the keyboard read as the word they miss ("sevne" civilians, "kiled"): config/casualties/typos.json.
_TOLERANT = knowledge().typo_tolerant
TYPOS = {
    slip: word
    for word in _TOLERANT
    for slip in _slips(word)
    if slip not in _TOLERANT and slip not in knowledge().real_words
}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")
_TOKEN = re.compile(
    r"--+|\d+(?:[.,:]\d+)*(?:[-–]\w+)*|(?:[^\W\d_]\.){2,}(?![^\W\d_])|[^\W\d_]\w*(?:[-'’]\w+)*|\S", re.UNICODE
)


@dataclass(frozen=True)
class Token:
    text: str
    lower: str
    start: int
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start()].rstrip()
        last_word = re.search(r"([\w.]+)$", head)
        if (
            "\n" not in match.group()
            and last_word
            and (
                last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS
                or (len(last_word.group(1)) == 1 and last_word.group(1).isupper())
            )
        ):
            continue
        _add_span(text, start, match.start() + len(match.group().rstrip()), spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word and punctuation tokens; "1,200", "10-15", "twenty-one" stay whole."""
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        lower = word.lower()
        tokens.append(Token(word, TYPOS.get(lower, lower), offset + match.start(), offset + match.end()))
    return tokens
