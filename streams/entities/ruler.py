"""Domain entities: curated organisations and conflict places (config/entities/) put on the doc after the model.

Where a curated name and the model disagree the curated name wins ("Daesh" is an organisation, not a country;
"Ain Issa" a town, not a person), except when the model found a longer proper name around it
("National Security Council" stays whole although "Security Council" is curated).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from streams.entities.knowledge import read_json, read_jsonl

# Punctuation a proper name may contain; a model span holding anything else ("Raqqa, Jones", "Forces (SDF")
# is a merge error, and a curated name inside it wins.
NAME_PUNCTUATION = {"-", "'", "’", ".", "&"}


@Language.factory("domain_entities")
def make_domain_entities(nlp: Language, name: str) -> "DomainEntities":
    return DomainEntities(nlp)


class DomainEntities:
    def __init__(self, nlp: Language):
        # Exact token texts: a PhraseMatcher costs a fraction of a token-pattern Matcher with this many aliases.
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        rules = read_json("rules.json")
        self.leading_words = set(rules["leading_words_to_trim"])
        self.facility_words = set(rules["facility_words_after_place"])
        for row in read_jsonl("organisations.jsonl"):
            self._add(nlp, "ORG", row["id"], row["aliases"])
        for row in read_jsonl("places.jsonl"):
            self._add(nlp, row.get("label", "GPE"), "", row["aliases"])

    def _inside_longer_name(self, span: Span) -> bool:
        """A place name inside a longer proper name is not the place: "Mount Sinai Hospital", "Douma Street"."""
        doc = span.doc
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        name_before = before is not None and before.is_title and before.is_alpha and before.text not in self.leading_words
        return name_before or (after is not None and after.text in self.facility_words)

    def _add(self, nlp: Language, label: str, kb_id: str, aliases: list[str]) -> None:
        # The article is not part of a name ("the [SDF]"), as in CoNLL-style newswire annotation.
        self.matcher.add(f"{label}|{kb_id}", [nlp.make_doc(alias) for alias in aliases])

    def __call__(self, doc: Doc) -> Doc:
        matches = []
        for match_id, start, end in self.matcher(doc):
            label, kb_id = doc.vocab.strings[match_id].split("|")
            span = Span(doc, start, end, label=label, kb_id=kb_id)
            if not _is_shouted(span) and not (not kb_id and self._inside_longer_name(span)):
                matches.append(span)
        ents = list(doc.ents)
        in_model_span = {i for e in ents for i in range(e.start, e.end)}
        for match in filter_spans(matches):
            overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            if any(_model_span_wins(e, match) for e in overlapping):
                continue
            if match.start > 0 and doc[match.start - 1].lower_ == "the" and match.start - 1 in in_model_span:
                # the model's span had the article ("the Syrian Democratic Forces"): keep its boundary
                match = Span(doc, match.start - 1, match.end, label=match.label_, kb_id=match.kb_id_)
                overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            ents = [e for e in ents if e not in overlapping] + [match]
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc


def _model_span_wins(model_span: Span, match: Span) -> bool:
    """A longer, well-formed model name containing the curated one is the more specific entity."""
    start = model_span.start + (model_span[0].lower_ == "the")  # "the SDF" is no longer a name than "SDF"
    contains = start <= match.start and match.end <= model_span.end and model_span.end - start > len(match)
    well_formed = all(not t.is_punct or t.text in NAME_PUNCTUATION for t in model_span)
    same_kind = (model_span.label_ in ("GPE", "LOC", "FAC")) == (match.label_ in ("GPE", "LOC", "FAC"))
    return contains and well_formed and same_kind and model_span.label_ != "PERSON"


def _is_shouted(span: Span) -> bool:
    """An all-caps alias ("IS", "WHO") inside all-caps text is an ordinary word in a headline."""
    if not span.text.isupper():
        return False
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) > 1 for t in neighbours)
