"""Labels by form: what the shape of a name or the noun next to it says it is, whatever the model said. Weapon
acronyms are no entities ("VBIED"), group names are NORP ("Yazidi"), "... Mosque/Gate/Street" a FAC,
"... Brigades/Front" or "Jaish ..." an ORG, a kunya ("Abu Ghadiya") or a leader's regime ("the Asad regime") a
PERSON, "... Agreement" a LAW; a name before "tribe" is NORP, one before "language" or "dialect" a LANGUAGE; a
name after "news agency" an ORG."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from streams.entities.fixes.rules import NAME_LABELS, FixRules


class LabelFixes(FixRules):
    def _relabelled_by_form(self, ent: Span) -> Span | None:
        """Labels the form of a name decides, whatever the model said (lists in rules.json):
        acronyms of weapons are no entities ("VBIED"); group names are NORP ("Yazidi"); a name ending in
        "Mosque", "Gate", "Bridge" ... is a FAC; one ending in "Brigades", "Front" ... or starting "Jaish",
        "Liwa" ... is an ORG."""
        if ent.kb_id_:
            return ent
        text, label = ent.text, ent.label_
        if text in self.not_entities:
            return None
        new = label
        if text in self.group_names:
            new = "NORP"
        elif text in self.holiday_names and label in NAME_LABELS:
            new = "EVENT"  # "shopping for Eid": a feast, no person
        elif len(ent) > 1 and self._headed_by(ent, self.work_head_words):
            new = "WORK_OF_ART"  # "the Yazidi Black Book", "Book of Revelation": a book, no place or organisation
        elif label in ("ORG", "FAC", "GPE", "PERSON") and len(ent) > 1 and self._headed_by(ent, self.law_head_words):
            new = "LAW"  # "the Law of Armed Conflict", "the Geneva Conventions": a law or treaty, no organisation
        elif label in ("ORG", "PERSON") and len(ent) > 1 and ent[-1].text in self.facility_heads:
            new = "FAC"
        elif (
            label in ("PERSON", "GPE", "NORP", "LOC")
            and len(ent) > 1
            and (ent[-1].text in self.organisation_heads or ent[0].text in self.organisation_first_words)
        ):
            new = "ORG"
        elif (
            label in ("WORK_OF_ART", "EVENT", "PRODUCT")
            and len(ent) > 2
            and ent[0].text in self.organisation_heads
            and ent[1].lower_ == "of"
        ):
            new = "ORG"  # "Army of the Victorious Sect", "Front for ...": an armed group, not a work or an event
        return ent if new == label else Span(ent.doc, ent.start, ent.end, label=new)

    @staticmethod
    def _headed_by(ent: Span, heads: set[str]) -> bool:
        """The name's head is one of these words: its last word, or a word followed by "of" ("Book of ...")."""
        doc = ent.doc
        return ent[-1].text in heads or any(
            t.text in heads and t.i + 1 < ent.end and doc[t.i + 1].lower_ == "of" for t in ent
        )

    def _labelled_by_next_noun(self, ent: Span) -> Span:
        """A person or organisation right before "tribe" is a group (NORP: "the Shammar tribe"); any name right
        before "language" or "dialect" is a language ("the Sorani dialect")."""
        doc = ent.doc
        new = self.labels_by_next_noun.get(doc[ent.end].lower_) if ent.end < len(doc) and not ent.kb_id_ else None
        if new is None or ent.label_ == new or (new == "NORP" and ent.label_ not in ("PERSON", "ORG")):
            return ent
        return Span(doc, ent.start, ent.end, label=new)

    def _person_relabelled(self, ent: Span) -> Span:
        """Names the model gives a non-person label that are persons by their form or their head noun:
        "Abu Ghadiya" (a kunya is a person's name, never a nationality) and "the Asad regime"."""
        if ent.kb_id_ or ent.label_ not in ("ORG", "NORP", "GPE"):
            return ent
        doc = ent.doc
        kunya = len(ent) > 1 and ent[0].text in self.person_name_prefixes and ent.label_ == "NORP"
        head = (
            len(ent) == 1
            and ent.end < len(doc)
            and doc[ent.end].lower_ in self.person_head_nouns
            and ent[0].is_title
            and self.gazetteer.tier(ent.text) is None
        )
        return Span(doc, ent.start, ent.end, label="PERSON") if kunya or head else ent

    def _organisations_after_cue(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A name right after "news agency", "newspaper", "broadcaster" is that organisation ("news agency
        Sana"), whatever the model called it."""
        found = []
        for ent in ents:
            if (
                ent.label_ in ("PERSON", "GPE", "NORP")
                and not ent.kb_id_
                and ent.start > 0
                and doc[ent.start - 1].lower_ in self.organisation_cue_nouns
                and ent[0].is_title
            ):
                found.append(Span(doc, ent.start, ent.end, label="ORG"))
        return found
