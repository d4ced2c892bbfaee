"""Corrections of en_core_web_sm's systematic errors on news, driven by config/entities/rules.json.

- spans that start with a capitalised preposition ("Near Raqqah" as a PERSON) or end in a possessive;
- places the model calls persons or organisations, recognised by the gazetteer next to a locative cue
  ("in Sinjar", "the town of Dabiq") or because they are curated conflict places;
- datelines in capitals ("AIN ISSA, Syria —");
- one name, one label per article: once "Karim Wasifi" is a PERSON, a bare "Karim" or "Wasifi" is too.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.entities.gazetteer import CITY, Gazetteer, load_gazetteer
from streams.entities.knowledge import read_json

PLACE_LABELS = ("GPE", "LOC", "FAC")
POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
MAX_PLACE_TOKENS = 4


@Language.factory("entity_fixes")
def make_entity_fixes(nlp: Language, name: str) -> "EntityFixes":
    return EntityFixes(load_gazetteer(), read_json("rules.json"))


class EntityFixes:
    def __init__(self, gazetteer: Gazetteer, rules: dict):
        self.gazetteer = gazetteer
        self.leading_words = set(rules["leading_words_to_trim"])
        self.locative_cues = set(rules["locative_cues"])
        self.strong_locative_cues = set(rules["strong_locative_cues"])
        self.place_nouns = set(rules["place_nouns_before_of"])
        self.titles = set(rules["person_titles"])
        separators = "|".join(re.escape(s) for s in rules["dateline_separators"])
        self.dateline = re.compile(rf"(?:^|\n)[ \t]*([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){{0,3}})\s*(?:{separators})")

    def __call__(self, doc: Doc) -> Doc:
        ents = [self._trimmed(e) for e in doc.ents]
        ents = [self._place_relabelled(e) for e in ents if e is not None]
        ents = self._with_spans(ents, self._datelines(doc) + self._cued_places(doc, ents))
        ents = self._persons_consistent(doc, ents)
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc

    def _trimmed(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        label = ent.label_
        if end - start > 1 and ent[0].text in self.leading_words:
            rest = ent.doc[start + 1 : end].text
            if label == "PERSON" or self.gazetteer.resolve(rest):
                start += 1
                if ent[0].lower_ in self.strong_locative_cues and label not in PLACE_LABELS:
                    label = "GPE"  # "Near Karabilah, strikes hit ...": what is near is a place
        if end - start > 1 and ent.doc[end - 1].text in POSSESSIVE_ENDINGS:
            end -= 1
        if (start, end, label) == (ent.start, ent.end, ent.label_):
            return ent
        return Span(ent.doc, start, end, label=label, kb_id=ent.kb_id_) if end > start else None

    def _place_relabelled(self, ent: Span) -> Span:
        if ent.label_ not in ("PERSON", "ORG") or ent.kb_id_:
            return ent  # other labels ("in March" is a DATE) are not place confusions
        if ent.start > 0 and ent.doc[ent.start - 1].lower_ in self.strong_locative_cues:
            return Span(ent.doc, ent.start, ent.end, label="GPE")
        place = self.gazetteer.curated_names.get(ent.text)
        if place is None and self._after_locative_cue(ent.doc, ent.start):
            place = self.gazetteer.resolve(ent.text) if self.gazetteer.is_known_place(ent.text, CITY) else None
        return Span(ent.doc, ent.start, ent.end, label=place.label) if place else ent

    def _after_locative_cue(self, doc: Doc, start: int) -> bool:
        if start == 0:
            return False
        cue = doc[start - 1].lower_
        if cue == "of":
            return start >= 2 and doc[start - 2].lower_ in self.place_nouns
        return cue in self.locative_cues

    def _cued_places(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Unlabelled capitalised names right after a locative cue that the gazetteer knows as cities."""
        tagged = {i for e in ents for i in range(e.start, e.end)}
        found = []
        for i, token in enumerate(doc):
            if i in tagged or not token.is_title or token.is_stop or not self._after_locative_cue(doc, i):
                continue
            for end in range(min(len(doc), i + MAX_PLACE_TOKENS), i, -1):
                name = doc[i:end]
                if any(j in tagged for j in range(i, end)) or not name[-1].is_alpha:
                    continue
                if self.gazetteer.is_known_place(name.text, CITY):
                    found.append(Span(doc, i, end, label=self.gazetteer.resolve(name.text).label))
                    break
        return found

    def _datelines(self, doc: Doc) -> list[Span]:
        found = []
        for match in self.dateline.finditer(doc.text):
            place = self.gazetteer.resolve(match.group(1))
            span = doc.char_span(match.start(1), match.end(1), label=place.label if place else "GPE")
            if place and span is not None:
                found.append(span)
        return found

    @staticmethod
    def _with_spans(ents: list[Span], new_spans: list[Span]) -> list[Span]:
        """New spans replace the model's spans they overlap."""
        for span in new_spans:
            ents = [e for e in ents if e.end <= span.start or span.end <= e.start] + [span]
        return ents

    def _persons_consistent(self, doc: Doc, ents: list[Span]) -> list[Span]:
        name_parts = {
            t.text
            for e in ents
            if e.label_ == "PERSON" and len(e) > 1
            for t in e
            if t.is_title and t.is_alpha and not t.is_stop and t.text not in self.titles
        }
        if not name_parts:
            return ents
        relabelled = [
            Span(doc, e.start, e.end, label="PERSON")
            if e.label_ != "PERSON" and not e.kb_id_ and e.text in name_parts and not self._is_place(e)
            else e
            for e in ents
        ]
        tagged = {i for e in relabelled for i in range(e.start, e.end)}
        untagged = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.i not in tagged and t.text in name_parts]
        return relabelled + untagged

    def _is_place(self, ent: Span) -> bool:
        return ent.label_ in PLACE_LABELS and self.gazetteer.resolve(ent.text) is not None
