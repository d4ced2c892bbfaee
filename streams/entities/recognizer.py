"""The entity stage: spaCy NER + domain layer -> canonical, linked, geocoded mentions per article."""

from __future__ import annotations

from streams.entities.canonical import Canonicalizer
from streams.entities.gazetteer import load_gazetteer
from streams.entities.grouping import PLACE_FIELDS, group_mentions
from streams.entities.knowledge import read_json
from streams.entities.nlp import load_pipeline


class EntityRecognizer:
    """Cheap to construct: the pipeline and gazetteer behind it are loaded once per process."""

    def __init__(self):
        self.nlp = load_pipeline()
        self.canonicalizer = Canonicalizer(load_gazetteer())
        self.person_titles = set(read_json("rules.json")["person_titles"])

    def recognize(self, text: str) -> list[dict]:
        return self.recognize_batch([text], batch_size=1)[0]

    def recognize_batch(self, texts: list[str], batch_size: int = 64) -> list[list[dict]]:
        """Mentions of each text, in text order; offsets are character offsets into that text."""
        return [
            group_mentions([self.canonicalizer.mention(ent) for ent in doc.ents], self.person_titles)
            for doc in self.nlp.pipe(texts, batch_size=batch_size)
        ]


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
