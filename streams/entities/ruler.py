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
HYPHENS = {"-", "‐", "‑"}
# Separators of a list; a model organisation running across one spaced out is two names.
SEPARATORS = {"-", "–", "—", ",", ";"}


@Language.factory("domain_entities")
def make_domain_entities(nlp: Language, name: str) -> DomainEntities:
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
        name_before = (
            before is not None and before.is_title and before.is_alpha and before.text not in self.leading_words
        )
        # the tail of a hyphenated word ("Hishan al-Obeidi") is part of that word, not the town "Obeidi"
        hyphenated = (
            before is not None
            and before.text in HYPHENS
            and not before.whitespace_
            and span.start > 1
            and not doc[span.start - 2].whitespace_
        )
        return name_before or hyphenated or (after is not None and after.text in self.facility_words)

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
        ents = [part for e in doc.ents for part in split_at_separators(e)]
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
    end = model_span.end
    while end > start + 1 and model_span.doc[end - 1].is_lower:
        end -= 1  # nor is "ISIL terrorist group" than "ISIL": lowercase words after a name are no part of it
    contains = start <= match.start and match.end <= model_span.end and end - start > len(match)
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


def split_at_separators(ent: Span) -> list[Span]:
    """An organisation the model ran across a list separator is two names: "Combined Joint Task Force -
    Operation Inherent Resolve", "the Ministry of Culture, State Board of Antiquities". A part of one word
    ("Toyota Motor Co., Ltd.") is no name of its own: the span then stays whole."""
    if ent.label_ != "ORG" or ent.kb_id_ or len(ent) < 5:
        return [ent]
    doc = ent.doc
    cuts = [
        i
        for i in range(ent.start + 1, ent.end - 1)
        if doc[i].text in SEPARATORS and (doc[i].text != "-" or (doc[i - 1].whitespace_ and doc[i].whitespace_))
    ]
    bounds = [ent.start, *cuts, ent.end]
    parts = [(a + (a != ent.start), b) for a, b in zip(bounds, bounds[1:], strict=False)]
    if not cuts or any(sum(t.is_alpha for t in doc[a:b]) < 2 for a, b in parts):
        return [ent]
    return [Span(doc, a, b, label=ent.label_) for a, b in parts]
