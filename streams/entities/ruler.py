"""Domain entities: curated organisations and conflict places (config/entities/) put on the doc after the model.

Where a curated name and the model disagree the curated name wins ("Daesh" is an organisation, not a country;
"Ain Issa" a town, not a person), except when the model found a longer proper name around it
("National Security Council" stays whole although "Security Council" is curated).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from streams.entities.knowledge import read_jsonl

# Punctuation a proper name may contain; a model span holding anything else ("Raqqa, Jones", "Forces (SDF")
# is a merge error, and a curated name inside it wins.
NAME_PUNCTUATION = {"-", "'", "’", ".", "&"}


@Language.factory("domain_entities")
def make_domain_entities(nlp: Language, name: str) -> "DomainEntities":
    return DomainEntities(nlp)


class DomainEntities:
    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        for row in read_jsonl("organisations.jsonl"):
            self._add(nlp, "ORG", row["id"], row["aliases"], optional_article=True)
        for row in read_jsonl("places.jsonl"):
            self._add(nlp, row.get("label", "GPE"), "", row["aliases"], optional_article=False)

    def _add(self, nlp: Language, label: str, kb_id: str, aliases: list[str], optional_article: bool) -> None:
        article = [{"LOWER": "the", "OP": "?"}] if optional_article else []
        patterns = [article + [{"TEXT": token.text} for token in nlp.make_doc(alias)] for alias in aliases]
        self.matcher.add(f"{label}|{kb_id}", patterns)

    def __call__(self, doc: Doc) -> Doc:
        matches = []
        for match_id, start, end in self.matcher(doc):
            label, kb_id = doc.vocab.strings[match_id].split("|")
            if doc[start].lower_ == "the" and end < len(doc) and doc[end].is_lower and doc[end].is_alpha:
                start += 1  # "the Daesh terror group": the article belongs to the noun phrase, not the name
            span = Span(doc, start, end, label=label, kb_id=kb_id)
            if not _is_shouted(span):
                matches.append(span)
        ents = list(doc.ents)
        for match in filter_spans(matches):
            overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            if any(_model_span_wins(e, match) for e in overlapping):
                continue
            ents = [e for e in ents if e not in overlapping] + [match]
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc


def _model_span_wins(model_span: Span, match: Span) -> bool:
    """A longer, well-formed model name containing the curated one is the more specific entity."""
    contains = model_span.start <= match.start and match.end <= model_span.end and len(model_span) > len(match)
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
