"""The entity stage: spaCy NER + domain layer -> canonical, linked, geocoded mentions per article."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from spacy.tokens import Doc

from streams.entities.canonical import Canonicalizer
from streams.entities.gazetteer import load_gazetteer
from streams.entities.grouping import PLACE_FIELDS, group_mentions
from streams.entities.knowledge import read_json
from streams.entities.nlp import load_pipeline

# Texts are recognised in pieces of at most this many characters, cut at a paragraph (else sentence, else word)
# boundary, and pieces go to nlp.pipe in groups of at most BATCH_CHARS characters. spaCy's memory grows with the
# characters in one call and the domain layer's time with the square of a document's entities: one 100,000-
# character page in a batch lifted a worker's peak memory by 300-400 MB, and a 950,000-character body took
# 320 s and 3.5 GB whole. Names never span paragraphs, so cutting there changes almost no entity. Small groups
# also bound how long a short article waits for the long lane's turn to end (p99 latency at half load:
# 0.85-1.32 s with 10,000/20,000, 0.62 s with 5,000/10,000, one bench run each).
MAX_PIECE_CHARS = 5_000
BATCH_CHARS = 10_000


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text` in order, each at most `limit` characters."""
    start = 0
    while len(text) - start > limit:
        end = start + _cut(text[start : start + limit])
        yield start, text[start:end]
        start = end
    yield start, text[start:]


_thread_lane = threading.local()


def mark_background_thread() -> None:
    """Mark the calling thread as background for `PipelineTurns` (the long lane's executor initializer)."""
    _thread_lane.background = True


class PipelineTurns:
    """One thread at a time in the spaCy pipeline; a waiting foreground thread goes before a background one, up to
    `foreground_streak` turns in a row.

    The worker enriches long articles on a background thread (the long lane) beside the short ones; spaCy does not
    promise that one pipeline may run in two threads at once, so each nlp.pipe group takes a turn. Precedence for the
    short articles' thread bounds their wait behind a long page to one group in progress (the p99 latency at half
    load); the streak bound keeps the long lane moving under a backlog, so that its articles, whose offsets hold back
    the commits of their partitions, are not left for later (a stop then replays more).
    """

    def __init__(self, foreground_streak: int = 2) -> None:
        self.foreground_streak = foreground_streak
        self._changed = threading.Condition()
        self._busy = False
        self._waiting = {False: 0, True: 0}  # foreground, background threads waiting
        self._streak = 0  # foreground turns taken in a row while a background thread waited

    def _may_go(self, background: bool) -> bool:
        if self._busy:
            return False
        other_waiting = self._waiting[not background]
        if background:
            return not other_waiting or self._streak >= self.foreground_streak
        return not other_waiting or self._streak < self.foreground_streak

    @contextmanager
    def turn(self) -> Iterator[None]:
        background = getattr(_thread_lane, "background", False)
        with self._changed:
            self._waiting[background] += 1
            try:
                self._changed.wait_for(lambda: self._may_go(background))
            finally:
                self._waiting[background] -= 1
            self._streak = self._streak + 1 if not background and self._waiting[True] else 0
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()


def _cut(window: str) -> int:
    """Length of the first piece of `window`: up to its last paragraph break in the second half, else its last
    sentence end there, else its last space, else all of it."""
    for boundaries in (("\n",), (". ", "? ", "! ", "; "), (" ",)):
        end = max(window.rfind(boundary) for boundary in boundaries)
        if end >= len(window) // 2:
            return end + 1
    return len(window)


class EntityRecognizer:
    """Cheap to construct: the pipeline and gazetteer behind it are loaded once per process."""

    def __init__(self):
        self.nlp = load_pipeline()
        self.turns = PipelineTurns()
        self.canonicalizer = Canonicalizer(load_gazetteer())
        self.person_titles = set(read_json("rules.json")["person_titles"])

    def recognize(self, text: str) -> list[dict]:
        return self.recognize_batch([text], batch_size=1)[0]

    def recognize_batch(self, texts: list[str], batch_size: int = 64) -> list[list[dict]]:
        """Mentions of each text, in text order; offsets are character offsets into that text."""
        found: list[list[dict]] = [[] for _ in texts]
        for owner, offset, doc in self._docs(texts, batch_size):
            found[owner].extend(self.canonicalizer.mention(ent, offset) for ent in doc.ents)
        return [group_mentions(mentions, self.person_titles) for mentions in found]

    def _docs(self, texts: list[str], batch_size: int) -> Iterator[tuple[int, int, Doc]]:
        """(text index, piece offset, doc) for every piece, through nlp.pipe in bounded groups."""
        group: list[tuple[int, int, str]] = []
        size = 0
        for owner, text in enumerate(texts):
            for offset, piece in pieces(text):
                if group and (len(group) >= batch_size or size + len(piece) > BATCH_CHARS):
                    yield from self._pipe(group)
                    group, size = [], 0
                group.append((owner, offset, piece))
                size += len(piece)
        if group:
            yield from self._pipe(group)

    def _pipe(self, group: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, Doc]]:
        with self.turns.turn():
            docs = list(self.nlp.pipe([piece for _, _, piece in group], batch_size=len(group)))
        for (owner, offset, _), doc in zip(group, docs, strict=False):
            yield owner, offset, doc


def summarize_entities(mentions: list[dict]) -> list[dict]:
    """Unique entities of one article, in order of first mention, with how often each is mentioned."""
    entities: dict[str, dict] = {}
    for mention in sorted(mentions, key=lambda m: m["start"]):
        entity = entities.get(mention["id"])
        if entity is None:
            entities[mention["id"]] = {
                "id": mention["id"],
                "canonical": mention["canonical"],
                "label": mention["label"],
                "mentions": 1,
                "first_offset": mention["start"],
            } | {field: mention[field] for field in PLACE_FIELDS if field in mention}
        else:
            entity["mentions"] += 1
    return list(entities.values())
