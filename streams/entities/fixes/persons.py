"""Persons: names an apposition shows to be persons ("Marcus Reed, 31,", "the farm's owner, Jamal Alzoubi"),
and one name, one label per article: once "Karim Wasifi" is a PERSON, a bare "Karim" or "Wasifi" is too, an
untagged "Tobias Ellwood" is once "Ellwood" is, and adjacent parts of one name are joined."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from streams.entities.fixes.rules import FixRules


class PersonFixes(FixRules):
    def _persons_by_apposition(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names the model calls organisations or places that an apposition shows to be persons: an age
        ("Marcus Reed, 31,"), a role before ("the farm's owner, Jamal Alzoubi") or after ("Knox Thames, the
        Special Advisor"); and a name the model split into an organisation and a person ("Badran Turki" +
        "Hishan al-Mazidi")."""
        result: list[Span] = []
        for ent in sorted(ents, key=lambda e: e.start):
            if self._could_be_person(ent) and self._apposition_of_person(ent):
                ent = Span(doc, ent.start, ent.end, label="PERSON")
            if (
                ent.label_ == "PERSON"
                and result
                and result[-1].end == ent.start
                and self._could_be_person(result[-1], "ORG", "PERSON")
            ):
                ent = Span(doc, result.pop().start, ent.end, label="PERSON")
            result.append(ent)
        return result

    def _could_be_person(self, ent: Span, *labels: str) -> bool:
        """1-3 capitalised words, none a title or a word of institutions, that no table knows as a place or group."""
        return (
            ent.label_ in (labels or ("ORG", "GPE", "NORP"))
            and not ent.kb_id_
            and len(ent) <= 3
            and all(t.is_title and t.is_alpha for t in ent)
            and not any(
                t.text in self.titles or t.text in self.not_name_words or t.text in self.organisation_heads for t in ent
            )
            and self.gazetteer.tier(ent.text) is None
        )

    def _apposition_of_person(self, ent: Span) -> bool:
        doc = ent.doc
        after = doc[ent.end : ent.end + 5]
        if len(after) >= 3 and after[0].text == after[2].text == "," and after[1].is_digit and len(after[1]) <= 3:
            return True  # ", 31,": an age
        if len(after) >= 3 and after[0].text == "," and after[1].lower_ in ("the", "a", "an"):
            # ", the Special Advisor ...": a role within the next words (capitalised modifiers allowed)
            for token in after[2:]:
                if token.lower_ in self.person_role_nouns:
                    return True
                if not token.is_title:
                    break
        return ent.start >= 2 and doc[ent.start - 1].text == "," and doc[ent.start - 2].lower_ in self.person_role_nouns

    @staticmethod
    def _person_name_parts(ents: list[Span]) -> set[str]:
        return {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e if t.is_title and t.is_alpha}

    def _persons_consistent(self, doc: Doc, ents: list[Span]) -> list[Span]:
        # Words of other names ("Burke" of "Burke County Sheriff's Office") are not taken for person names.
        other_words = {t.text for e in ents if e.label_ != "PERSON" and len(e) > 1 for t in e}
        name_parts = {
            t.text
            for e in ents
            if e.label_ == "PERSON" and len(e) > 1
            for t in e
            if t.is_title
            and t.is_alpha
            and not t.is_stop
            and t.text not in self.titles
            and t.text not in other_words
            and t.text not in self.not_name_words
        }
        # A name the model tagged alone as a person ("Minister Ellwood") names that person elsewhere too.
        single_names = {
            e.text for e in ents if e.label_ == "PERSON" and len(e) == 1 and e[0].is_title and e.text not in self.titles
        } - other_words
        if not name_parts and not single_names:
            return ents
        relabelled = [
            Span(doc, e.start, e.end, label="PERSON")
            if e.label_ != "PERSON"
            and not e.kb_id_
            and (e.text in name_parts or e.text in single_names)
            and not self._is_place(e)
            else e
            for e in ents
        ]
        tagged = {i for e in relabelled for i in range(e.start, e.end)}
        surnames = {e.text for e in relabelled if e.label_ == "PERSON" and len(e) == 1 and e[0].is_title}
        found = self._untagged_name_runs(doc, tagged, name_parts, surnames - other_words)
        return self._merged_with_adjacent_persons(relabelled, found)

    def _untagged_name_runs(self, doc: Doc, tagged: set[int], name_parts: set[str], surnames: set[str]) -> list[Span]:
        """Untagged capitalised runs that name a person of the article: all words known name words ("Alexis
        Mercer"), or a first name before a surname the model tagged alone ("Tobias Ellwood" after "Ellwood").
        A run inside a longer capitalised name ("Colter Richard Arbach") or ending in another word stays untagged."""
        found = []
        i = 0
        while i < len(doc):
            end = i
            while end < len(doc) and end not in tagged and doc[end].is_title and doc[end].is_alpha:
                end += 1
            if end == i:
                i += 1
                continue
            run = doc[i:end]
            if all(t.text in name_parts for t in run) or (
                1 < len(run) <= 3
                and run[-1].text in (surnames | name_parts)
                and not any(t.is_stop or t.text in self.titles for t in run)
            ):
                found.append(Span(doc, i, end, label="PERSON"))
            i = end
        return found

    def _merged_with_adjacent_persons(self, ents: list[Span], found: list[Span]) -> list[Span]:
        """A name found right next to a PERSON span belongs to it: "Jared" + "Michael Williams"; so do two
        persons joined only by a name particle: "Ibrahim" + "al-" + "Jaafari"."""
        added = {(e.start, e.end) for e in found}
        merged: list[Span] = []
        for ent in sorted(ents + found, key=lambda e: e.start):
            last = merged[-1] if merged else None
            if (last is not None and last.label_ == ent.label_ == "PERSON") and (
                (last.end == ent.start and ((last.start, last.end) in added or (ent.start, ent.end) in added))
                or (
                    0 < ent.start - last.end <= 2
                    and all(t.lower_.rstrip("-") in self.name_particles for t in ent.doc[last.end : ent.start])
                )
            ):
                merged[-1] = Span(ent.doc, last.start, ent.end, label="PERSON")
            else:
                merged.append(ent)
        return merged
