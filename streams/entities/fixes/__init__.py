"""Corrections of en_core_web_sm's systematic errors on news, driven by config/entities/rules.json.

Each follows the conventions of general newswire annotation (CoNLL style), so the same fix is right on
conflict news and on ordinary news:
- boundaries: a capitalised preposition ("Near Raqqah" as a PERSON), a possessive, and the article of a
  place name ("the United States") are not part of the name; organisations and facilities keep the article
  where the model put it (re3d includes it, CoNLL does not: the model's own call is left alone); an
  organisation run across a possessive is two ("the Ministry of Finance's Customs Department");
- labels by form: weapon acronyms are no entities ("VBIED"), group names are NORP ("Yazidi"),
  "... Mosque/Gate/Street" a FAC, "... Brigades/Front" or "Jaish ..." an ORG, a kunya
  ("Abu Ghadiya") or a leader's regime ("the Asad regime") a PERSON, "... Agreement" a LAW; by the noun after
  it, a name before "tribe" is NORP, one before "language" or "dialect" a LANGUAGE;
- places the model calls persons or organisations: a country name ("refugees in Jordan"), a gazetteer place
  after a locative cue ("in Sinjar"), any name after a strong cue ("near X", "the village of X"), curated
  conflict places;
- places the model left untagged: country names, and capitalised names after a strong cue;
- datelines in capitals ("AIN ISSA, Syria —");
- one name, one label per article: once "Karim Wasifi" is a PERSON, a bare "Karim" or "Wasifi" is too, and
  an untagged "Tobias Ellwood" is once "Ellwood" is.

One module per mechanism, each a mixin of `EntityFixes` over the rule sets of `rules.FixRules`: `boundaries`,
`labels` (by form and by the next noun), `places`, `persons`; `EntityFixes.__call__` applies them in order.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.entities.fixes.boundaries import BoundaryFixes
from streams.entities.fixes.labels import LabelFixes
from streams.entities.fixes.persons import PersonFixes
from streams.entities.fixes.places import PlaceFixes
from streams.entities.gazetteer import load_gazetteer
from streams.entities.knowledge import read_json


@Language.factory("entity_fixes")
def make_entity_fixes(nlp: Language, name: str) -> EntityFixes:
    return EntityFixes(load_gazetteer(), read_json("rules.json"))


class EntityFixes(BoundaryFixes, LabelFixes, PlaceFixes, PersonFixes):
    """The spaCy component: the fixes of each mechanism (boundaries, labels, places, persons), in order."""

    def __call__(self, doc: Doc) -> Doc:
        trimmed = [self._trimmed(part) for e in doc.ents for part in self._split_at_possessive(e)]
        by_form = [self._relabelled_by_form(e) for e in trimmed if e is not None]
        ents = [self._person_relabelled(e) for e in by_form if e is not None]
        ents = self._persons_by_apposition(doc, ents)
        ents = self._places_by_apposition(ents)
        ents = self._organisations_extended(doc, ents)
        name_parts = self._person_name_parts(ents)
        ents = [self._place_relabelled(e, name_parts) for e in ents]
        found = self._datelines(doc) + self._cued_places(doc, ents)
        ents = self._with_spans(ents, found)
        ents = self._with_spans(ents, self._untagged_places(doc, ents, name_parts))
        ents = self._with_spans(ents, self._organisations_after_cue(doc, ents))
        ents = self._persons_consistent(doc, ents)
        ents = [self._labelled_by_next_noun(e) for e in ents]
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc

    @staticmethod
    def _with_spans(ents: list[Span], new_spans: list[Span]) -> list[Span]:
        """New spans replace the model's spans they overlap."""
        for span in new_spans:
            ents = [e for e in ents if e.end <= span.start or span.end <= e.start] + [span]
        return ents
