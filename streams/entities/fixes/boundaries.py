"""Boundaries: where a name starts and ends (CoNLL style). A capitalised preposition ("Near Raqqah"), a
possessive and the article of a place name ("the United States") are not part of the name; organisations and
facilities keep the article where the model put it; an organisation run across a possessive is two; an
organisation cut short is completed ("Mobile Unit Two", "Department of the Treasury")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from streams.entities.fixes.rules import (
    INDEFINITE_ARTICLES,
    MAX_PLACE_TOKENS,
    NAME_LABELS,
    PLACE_LABELS,
    POSSESSIVE_ENDINGS,
    TRAILING_PUNCTUATION,
    FixRules,
)

_LATIN_CAPITAL = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F]")


def _without_inner_spans(ents: list[Span]) -> list[Span]:
    """Spans that a longer span of the list covers are dropped (an extended name took them in)."""
    return [
        e
        for e in ents
        if not any(o is not e and o.start <= e.start and e.end <= o.end and len(o) > len(e) for o in ents)
    ]


def _readable_name(text: str) -> bool:
    """A name has a capital in Latin script: "a.i." is an abbreviation, "المزيدي" a name the English model misreads."""
    return any(c.isupper() and _LATIN_CAPITAL.match(c) for c in text)


class BoundaryFixes(FixRules):
    def _trimmed(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        label = ent.label_
        if label in NAME_LABELS and not _readable_name(ent.text):
            return None  # "a.i.", a name in Arabic script: no name the English model can read
        doc = ent.doc
        if end - start > 1 and doc[start].lower_ in INDEFINITE_ARTICLES and doc[start].is_lower:
            start += 1  # "a Combined Joint Task Force": the article is not part of the name
        while end - start > 1 and doc[end - 1].text in TRAILING_PUNCTUATION:
            end -= 1  # "... and Heritage (" : an opening bracket or a dash closes no name
        if label == "ORG" and not ent.kb_id_:
            last_name_word = max((i for i in range(start, end) if not doc[i].is_lower), default=end - 1)
            if all(t.is_alpha for t in doc[last_name_word + 1 : end]):
                end = last_name_word + 1  # "Reuters news agency", "ISIL terrorist group": the name ends before
        if label == "PERSON" and doc[start].text in self.titles:
            while start > 0 and doc[start - 1].text in self.titles:
                start -= 1  # "Lt Gen Talib Shaghati": a title the model began is completed ("Gen" without "Lt")
        if end - start > 1 and ent[0].text in self.leading_words:
            rest = ent.doc[start + 1 : end].text
            if label == "PERSON" or self.gazetteer.resolve(rest):
                start += 1
                if ent[0].lower_ in self.strong_locative_cues and label not in PLACE_LABELS:
                    label = "GPE"  # "Near Karabilah, strikes hit ...": what is near is a place
        if (
            end - start > 1
            and ent.doc[start].lower_ == "the"
            and label in self.article_trimmed_labels
            and ent.doc[start:end].text.lower() not in self.names_with_article
        ):
            start += 1  # "the United States": the article is not part of the name (CoNLL convention)
        if end - start > 1 and ent.doc[end - 1].text in POSSESSIVE_ENDINGS:
            end -= 1
        if (start, end, label) == (ent.start, ent.end, ent.label_):
            return ent
        return Span(doc, start, end, label=label, kb_id=ent.kb_id_) if end > start else None

    def _split_at_possessive(self, ent: Span) -> list[Span]:
        """An organisation the model ran across a possessive is two organisations when both halves are headed
        like one: "the Department of the Treasury's Office of Foreign Assets Control". A possessive inside one
        name ("McDonald's Corporation", "People's Liberation Army") has no organisation head before it."""
        if ent.label_ != "ORG" or ent.kb_id_:
            return [ent]
        doc = ent.doc
        for i in range(ent.start + 1, ent.end - 1):
            if (
                doc[i].text in POSSESSIVE_ENDINGS
                and doc[i + 1].is_title
                and any(t.text in self.organisation_heads for t in doc[ent.start : i])
                and any(t.text in self.organisation_heads for t in doc[i + 1 : ent.end])
            ):
                return [Span(doc, ent.start, i, label="ORG"), Span(doc, i + 1, ent.end, label="ORG")]
        return [ent]

    def _organisations_extended(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Organisation names the model cut short: a number word that ends the name ("Mobile Unit Two"), a
        capitalised word it left off the front ("commander, Combined Joint Forces Land Component Command"), and
        the service before a rank ("Army Lt. Gen. Stephen Townsend", where the model tagged only the person)."""
        numbers = {e.start: e for e in ents if e.label_ in ("CARDINAL", "ORDINAL") and len(e) == 1}
        tagged = {i for e in ents if e.start not in numbers for i in range(e.start, e.end)}
        result = []
        for ent in ents:
            if ent.label_ == "ORG" and not ent.kb_id_:
                start, end = ent.start, ent.end
                if end < len(doc) and end not in tagged and doc[end].text in self.number_words_in_names:
                    numbers.pop(end, None)
                    end += 1
                if (
                    start >= 2
                    and start - 1 not in tagged
                    and doc[start - 1].is_title
                    and doc[start - 1].is_alpha
                    and not doc[start - 1].is_stop
                    and doc[start - 1].text not in self.titles
                    and (doc[start - 2].text == "," or doc[start - 2].is_lower)
                    and self.gazetteer.tier(doc[start - 1].text) is None
                ):
                    start -= 1
                end = self._name_continued_after_of(doc, ents, end)
                if (start, end) != (ent.start, ent.end):
                    ent = Span(doc, start, end, label="ORG")
            result.append(ent)
        result = _without_inner_spans(result)
        result = [
            e for e in result if e.label_ not in ("CARDINAL", "ORDINAL") or numbers.get(e.start) is e or len(e) > 1
        ]
        for token in doc:
            if (
                token.i not in tagged
                and token.text in self.services_before_rank
                and token.i + 1 < len(doc)
                and doc[token.i + 1].text in self.titles
            ):
                result.append(Span(doc, token.i, token.i + 1, label="ORG"))
        return result

    def _name_continued_after_of(self, doc: Doc, ents: list[Span], end: int) -> int:
        """ "the United States Department" + "of the Treasury": an organisation head ("Department", "Ministry")
        followed by "of (the) Name" is one name; the model's separate "Treasury" goes into it."""
        if end >= len(doc) - 1 or doc[end - 1].text not in self.organisation_heads or doc[end].lower_ != "of":
            return end
        i = end + 1 + (doc[end + 1].lower_ == "the")
        name_end = i
        while (
            name_end < len(doc)
            and name_end - i < MAX_PLACE_TOKENS
            and doc[name_end].is_title
            and doc[name_end].is_alpha
        ):
            name_end += 1
        inside = [e for e in ents if e.start < name_end and i < e.end]
        if name_end == i or any(
            e.start < i or e.end > name_end or e.label_ not in ("ORG", "GPE", "LOC") for e in inside
        ):
            return end
        return name_end
