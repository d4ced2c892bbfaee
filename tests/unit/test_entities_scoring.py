"""The re3d scoring rules (shared/notes/evaluation.md) on a hand-made example."""

from streams.entities.scoring import gold_spans, predicted_spans, score_corpus, score_document

TEXT = "He said Rupert Jones of the SDF met them in Raqqa."
#       0123456789012345678901234567890123456789012345678


def test_gold_drops_pronouns_and_unscored_types():
    entities = [
        {"start": 0, "end": 2, "label": "Person"},  # "He"
        {"start": 8, "end": 20, "label": "Person"},
        {"start": 36, "end": 40, "label": "Organisation"},  # "them"
        {"start": 44, "end": 49, "label": "Location"},
        {"start": 44, "end": 49, "label": "Temporal"},
    ]
    assert gold_spans(TEXT, entities) == {(8, 20, "Person"), (44, 49, "Location")}


def test_predicted_labels_are_mapped_and_others_ignored():
    mentions = [
        {"start": 8, "end": 20, "label": "PERSON"},
        {"start": 24, "end": 31, "label": "ORG"},
        {"start": 44, "end": 49, "label": "GPE"},
        {"start": 0, "end": 2, "label": "NORP"},
    ]
    assert predicted_spans(mentions) == {(8, 20, "Person"), (24, 31, "Organisation"), (44, 49, "Location")}


def test_strict_and_overlap_counts():
    gold = {(8, 20, "Person"), (24, 31, "Organisation"), (44, 49, "Location")}
    predicted = {
        (8, 20, "Person"),  # exact
        (28, 31, "Organisation"),  # "SDF" inside "the SDF": overlap only
        (44, 49, "Person"),  # right span, wrong type: neither
        (15, 20, "Person"),  # a second overlap of the found "Rupert Jones"
    }
    scores = score_document(predicted, gold)
    strict, overlap = scores["strict"]["all"], scores["overlap"]["all"]
    assert (strict.matched_predicted, strict.predicted, strict.matched_gold, strict.gold) == (1, 4, 1, 3)
    # every overlapping prediction is right; each gold span is found once however many overlap it
    assert (overlap.matched_predicted, overlap.matched_gold) == (3, 2)
    assert overlap.precision == 0.75 and round(overlap.recall, 4) == 0.6667
    assert round(overlap.f1, 4) == round(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3), 4)
    assert scores["strict"]["Location"].gold == 1 and scores["strict"]["Location"].matched_gold == 0


def test_corpus_is_micro_averaged():
    doc_a = ({(0, 5, "Person")}, {(0, 5, "Person")})
    doc_b = ({(0, 5, "Location"), (6, 9, "Location")}, {(0, 5, "Location"), (10, 12, "Location"), (20, 25, "Person")})
    total = score_corpus([doc_a, doc_b])["strict"]["all"]
    assert (total.matched_predicted, total.predicted, total.gold) == (2, 3, 4)
    assert total.precision == 2 / 3 and total.recall == 0.5
