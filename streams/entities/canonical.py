"""Canonical names and stable ids for single mentions: curated aliases, the gazetteer, else the cleaned name."""

from __future__ import annotations

import re

from spacy.tokens import Span

from streams.entities.gazetteer import Gazetteer
from streams.entities.knowledge import fold, read_jsonl, slug

PLACE_LABELS = ("GPE", "LOC", "FAC")
ID_PREFIXES = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
# "Raqqa city", "the city of Raqqa", "Idlib province" denote the place the gazetteer knows by its bare name.
_PLACE_NOUN = re.compile(
    r"^(?:(?:city|town|village|province|district|governorate) of\s+)?"
    r"(.+?)(?:\s+(?:city|town|village|province|district|governorate))?$",
    re.IGNORECASE,
)


def clean_name(text: str) -> str:
    """The name without a leading article, possessive or line breaks: "the Syrian Democratic Forces'" -> ..."""
    return _POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", " ".join(text.split())))


class Canonicalizer:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.organisations: dict[str, tuple[str, str]] = {}  # folded alias -> (id, canonical)
        self.organisation_names: dict[str, str] = {}  # id -> canonical
        for row in read_jsonl("organisations.jsonl"):
            self.organisation_names[row["id"]] = row["canonical"]
            for alias in row["aliases"]:
                self.organisations.setdefault(fold(alias), (row["id"], row["canonical"]))

    def _place(self, name: str):
        return self.gazetteer.resolve(name) or self.gazetteer.resolve(_PLACE_NOUN.sub(r"\1", name))

    def mention(self, ent: Span, offset: int = 0) -> dict:
        """One mention as the contract describes it: text, label, offsets (shifted by `offset`, where the doc
        starts in the article), canonical, id (+ place fields)."""
        mention = {
            "text": ent.text,
            "label": ent.label_,
            "start": ent.start_char + offset,
            "end": ent.end_char + offset,
        }
        name = clean_name(ent.text)
        if ent.kb_id_ in self.organisation_names:
            return mention | {"canonical": self.organisation_names[ent.kb_id_], "id": ent.kb_id_}
        if ent.label_ in PLACE_LABELS and (place := self._place(name)):
            return mention | {"canonical": place.canonical, "id": place.id} | place.fields()
        if ent.label_ in ("ORG", "NORP") and fold(name) in self.organisations:
            org_id, canonical = self.organisations[fold(name)]
            return mention | {"canonical": canonical, "id": org_id}
        prefix = ID_PREFIXES.get(ent.label_, ent.label_.lower())
        return mention | {"canonical": name, "id": f"{prefix}:{slug(name) or slug(ent.text)}"}
