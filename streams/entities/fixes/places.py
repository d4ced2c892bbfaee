"""Places: names the model calls persons or organisations that are places (a country name, "refugees in
Jordan"; a gazetteer place after a locative cue, "in Sinjar"; any name after a strong cue, "near X", "the
village of X"; an apposition, "Sabboura, an area outside Damascus"; curated conflict places), places it left
untagged (country names, capitalised names after a strong cue, cities after a locative cue) and datelines in
capitals ("AIN ISSA, Syria —")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from streams.entities.fixes.rules import MAX_PLACE_TOKENS, FixRules
from streams.entities.gazetteer import CITY


class PlaceFixes(FixRules):
    def _place_relabelled(self, ent: Span, name_parts: set[str]) -> Span:
        if ent.label_ == "NORP" and not ent.kb_id_ and self._is_country(ent):
            return Span(ent.doc, ent.start, ent.end, label="GPE")  # "Uzbekistan" is no nationality
        if ent.label_ not in ("PERSON", "ORG") or ent.kb_id_:
            return ent  # other labels ("in March" is a DATE) are not place confusions
        if self._after_strong_locative_cue(ent.doc, ent.start):
            return Span(ent.doc, ent.start, ent.end, label="GPE")
        place = self.gazetteer.curated_names.get(ent.text)
        if place is None and ent.text not in name_parts:  # "Williams" of "Jared Williams" is no town
            if ent.label_ == "PERSON" and self._is_country(ent) and not self._before_speech_verb(ent):
                place = self.gazetteer.resolve(ent.text)  # "refugees in Jordan" is no person
            elif ent.label_ == "ORG" and self._is_country(ent):
                place = self.gazetteer.resolve(ent.text)  # "visited Uzbekistan": a country alone is a place
            elif self._after_locative_cue(ent.doc, ent.start) and self.gazetteer.is_known_place(ent.text, CITY):
                place = self.gazetteer.resolve(ent.text)
        return Span(ent.doc, ent.start, ent.end, label=place.label) if place else ent

    def _places_by_apposition(self, ents: list[Span]) -> list[Span]:
        """A name the model calls a person or organisation that an apposition shows to be a place: "striking
        Sabboura, an area outside Damascus", "Tel Hamis, a town in the east"."""
        return [
            Span(ent.doc, ent.start, ent.end, label="GPE")
            if ent.label_ in ("PERSON", "ORG") and not ent.kb_id_ and self._apposition_of_place(ent)
            else ent
            for ent in ents
        ]

    def _apposition_of_place(self, ent: Span) -> bool:
        after = ent.doc[ent.end : ent.end + 5]
        if len(after) < 3 or after[0].text != "," or after[1].lower_ not in ("a", "an"):
            return False
        for token in after[2:]:
            if token.lower_ in self.settlement_nouns or token.lower_ in self.place_apposition_nouns:
                return True
            if not (token.is_alpha and token.is_lower):
                return False
        return False

    def _untagged_places(self, doc: Doc, ents: list[Span], name_parts: set[str]) -> list[Span]:
        """Names the model left untagged that are places: a country name ("fled to Iran"), or a capitalised
        name after a strong locative cue ("Near Al Shadaddi, one strike ...")."""
        tagged = {i for e in ents for i in range(e.start, e.end)}
        found = []
        i = 0
        while i < len(doc):
            end = self._capitalised_run_end(doc, i, tagged)
            if end == i or doc[i].lower_ in self.strong_locative_cues:  # "Near" opens a sentence: a cue
                i += 1
                continue
            run = doc[i:end]
            after_cue = self._after_strong_locative_cue(doc, i)
            if after_cue and run[-1].is_alpha:
                found.append(Span(doc, i, end, label="GPE"))
            else:
                found.extend(self._countries_in(run, name_parts))
            i = end
        return found

    @staticmethod
    def _capitalised_run_end(doc: Doc, start: int, tagged: set[int]) -> int:
        end = start
        while end < len(doc) and end - start < MAX_PLACE_TOKENS and end not in tagged and doc[end].is_title:
            end += 1
        return end

    def _countries_in(self, run: Span, name_parts: set[str]) -> list[Span]:
        """A run that is exactly a country name; a longer capitalised name ("Jordan Peterson", "Georgia Tech")
        or a person's name part is something else."""
        doc = run.doc
        if run.text in name_parts or not self._is_country(run):
            return []
        if self._before_speech_verb(run):
            return []
        return [Span(doc, run.start, run.end, label=self._known_place_label(run.text))]

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
                if end < len(doc) and doc[end].is_title:
                    continue  # "in Prospect Lefferts Gardens": a longer name, not the town "Prospect"
                if self.gazetteer.is_known_place(name.text, CITY):
                    found.append(Span(doc, i, end, label=self._known_place_label(name.text)))
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
