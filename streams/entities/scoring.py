"""Span scoring for entity recognition, as the sealed held-out sets score it (shared/notes/evaluation.md).

Kept free of spaCy so the benchmark and its unit test share one definition of the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass

# OntoNotes label -> evaluation type; labels not listed are ignored.
ONTONOTES_TO_TYPE = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
SCORED_TYPES = ("Person", "Organisation", "Location")

# Gold spans that are only a pronoun are coreference, not names: they are dropped before scoring.
PRONOUNS = frozenset(
    "i me my mine myself you your yours yourself yourselves he him his himself she her hers herself "
    "it its itself we us our ours ourselves they them their theirs themselves".split()
)

Span = tuple[int, int, str]  # (start, end, type)


@dataclass(frozen=True)
class Counts:
    """Matched and total spans of one scoring mode; adds up across documents (micro-averaging).

    Precision and recall keep separate numerators because, in overlap mode, several predictions may overlap
    one gold span (each such prediction is correct, the gold span is found once) and vice versa.
    """

    matched_predicted: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=False)))

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)} | {
            k: v for k, v in asdict(self).items()
        }


def predicted_spans(mentions: Iterable[dict]) -> set[Span]:
    """Mentions with OntoNotes labels as scored spans; labels outside the mapping are ignored."""
    return {(m["start"], m["end"], ONTONOTES_TO_TYPE[m["label"]]) for m in mentions if m["label"] in ONTONOTES_TO_TYPE}


def gold_spans(text: str, entities: Iterable[dict], types: Sequence[str] = SCORED_TYPES) -> set[Span]:
    """re3d gold spans of the scored types, without pronoun-only spans."""
    return {
        (e["start"], e["end"], e["label"])
        for e in entities
        if e["label"] in types and text[e["start"] : e["end"]].strip().lower() not in PRONOUNS
    }


def _overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score_document(predicted: set[Span], gold: set[Span]) -> dict[str, dict[str, Counts]]:
    """Strict and overlap counts of one document, per type and over all types ("all").

    Strict: same start, end and type. Overlap: a prediction is right when it overlaps a gold span of its type;
    a gold span is found (once) when some prediction of its type overlaps it.
    """
    result: dict[str, dict[str, Counts]] = {"strict": {}, "overlap": {}}
    for span_type in (*SCORED_TYPES, "all"):
        p = {s for s in predicted if span_type in ("all", s[2])}
        g = {s for s in gold if span_type in ("all", s[2])}
        exact = len(p & g)
        result["strict"][span_type] = Counts(exact, len(p), exact, len(g))
        result["overlap"][span_type] = Counts(
            sum(any(_overlaps(a, b) for b in g) for a in p),
            len(p),
            sum(any(_overlaps(a, b) for a in p) for b in g),
            len(g),
        )
    return result


def score_corpus(pairs: Iterable[tuple[set[Span], set[Span]]]) -> dict[str, dict[str, Counts]]:
    """Micro-averaged strict and overlap counts over (predicted, gold) span sets of many documents."""
    totals: dict[str, dict[str, Counts]] = {"strict": {}, "overlap": {}}
    for predicted, gold in pairs:
        for mode, per_type in score_document(predicted, gold).items():
            for span_type, counts in per_type.items():
                totals[mode][span_type] = totals[mode].get(span_type, Counts()) + counts
    return totals
