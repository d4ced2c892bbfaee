"""General newswire must not suffer from the domain layer: on hand-labelled news sentences (CoNLL conventions:
no article, title or possessive inside a name; countries are locations; PERSON -> PER, ORG -> ORG,
GPE/LOC/FAC -> LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE -> MISC), the entity stage scores at least
as well as plain en_core_web_sm. The sentences were written for this test, not taken from any data set."""

import pytest
import spacy

from streams.entities import EntityRecognizer
from streams.entities.nlp import COMPONENTS_NER_DOES_NOT_NEED, MODEL_NAME

TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"} | {
    label: "MISC" for label in ("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")
}

NEWSWIRE = [
    (
        "German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on Tuesday.",
        [
            ("Angela Merkel", "PER"),
            ("Emmanuel Macron", "PER"),
            ("Paris", "LOC"),
            ("German", "MISC"),
            ("French", "MISC"),
        ],
    ),
    (
        "Shares of Apple rose 3 percent in New York after Microsoft reported strong quarterly results.",
        [("Apple", "ORG"), ("New York", "LOC"), ("Microsoft", "ORG")],
    ),
    (
        "The United States and the European Union imposed new sanctions on Russia on Monday.",
        [("United States", "LOC"), ("European Union", "ORG"), ("Russia", "LOC")],
    ),
    (
        "Police in Chicago said two men were shot near Garfield Park late on Saturday.",
        [("Chicago", "LOC"), ("Garfield Park", "LOC")],
    ),
    (
        "Officer James Miller of the Dallas Police Department said the suspect fled on foot.",
        [("James Miller", "PER"), ("Dallas Police Department", "ORG")],
    ),
    (
        "Miller said the victim, a 24-year-old man, was taken to Parkland Hospital.",
        [("Miller", "PER"), ("Parkland Hospital", "LOC")],
    ),
    (
        "The World Health Organization warned on Friday that cholera was spreading in Yemen.",
        [("World Health Organization", "ORG"), ("Yemen", "LOC")],
    ),
    (
        "Real Madrid beat Barcelona 2-1 at the Santiago Bernabeu on Sunday.",
        [("Real Madrid", "ORG"), ("Barcelona", "ORG"), ("Santiago Bernabeu", "LOC")],
    ),
    (
        "Prime Minister Justin Trudeau told reporters in Ottawa that Canada would accept more refugees.",
        [("Justin Trudeau", "PER"), ("Ottawa", "LOC"), ("Canada", "LOC")],
    ),
    (
        "Turkey's foreign ministry summoned the Dutch ambassador after the row over rallies in Rotterdam.",
        [("Turkey", "LOC"), ("Dutch", "MISC"), ("Rotterdam", "LOC")],
    ),
    (
        "Hurricane Maria knocked out power across Puerto Rico, the governor said.",
        [("Maria", "MISC"), ("Puerto Rico", "LOC")],
    ),
    (
        "A spokesman for the Pentagon said U.S. troops would remain in Iraq.",
        [("Pentagon", "ORG"), ("U.S.", "LOC"), ("Iraq", "LOC")],
    ),
    (
        "Boko Haram militants attacked the town of Gwoza in Borno State, witnesses told Reuters.",
        [("Boko Haram", "ORG"), ("Gwoza", "LOC"), ("Borno State", "LOC"), ("Reuters", "ORG")],
    ),
    ("Chad said it would send troops to help Nigeria fight the insurgents.", [("Chad", "LOC"), ("Nigeria", "LOC")]),
    (
        "Mrs Thompson, who lives on Maple Street, said she heard three shots.",
        [("Thompson", "PER"), ("Maple Street", "LOC")],
    ),
    (
        "The Federal Reserve raised interest rates, Janet Yellen announced in Washington.",
        [("Federal Reserve", "ORG"), ("Janet Yellen", "PER"), ("Washington", "LOC")],
    ),
    ("Toyota Motor Corp said it would build a new plant in Mexico.", [("Toyota Motor Corp", "ORG"), ("Mexico", "LOC")]),
    ("Thousands marched through London to protest against the war in Iraq.", [("London", "LOC"), ("Iraq", "LOC")]),
    (
        "The suspect, identified as Marcus Reed, 31, was booked into the Harris County Jail.",
        [("Marcus Reed", "PER"), ("Harris County Jail", "LOC")],
    ),
    (
        "Reed's lawyer, Susan Clarke, declined to comment to the Houston Chronicle.",
        [("Reed", "PER"), ("Susan Clarke", "PER"), ("Houston Chronicle", "ORG")],
    ),
    (
        "India and Pakistan exchanged fire across the Line of Control in Kashmir.",
        [("India", "LOC"), ("Pakistan", "LOC"), ("Line of Control", "LOC"), ("Kashmir", "LOC")],
    ),
    (
        "The Islamic State group claimed responsibility for the bombing in Kabul.",
        [("Islamic State", "ORG"), ("Kabul", "LOC")],
    ),
    (
        "Amnesty International accused the Myanmar military of atrocities against the Rohingya.",
        [("Amnesty International", "ORG"), ("Myanmar", "LOC"), ("Rohingya", "MISC")],
    ),
    (
        "Serena Williams won her seventh Wimbledon title, beating Angelique Kerber.",
        [("Serena Williams", "PER"), ("Wimbledon", "MISC"), ("Angelique Kerber", "PER")],
    ),
    (
        "The United Nations Security Council met in New York to discuss North Korea.",
        [("United Nations Security Council", "ORG"), ("New York", "LOC"), ("North Korea", "LOC")],
    ),
    (
        "Firefighters from Los Angeles County battled the blaze near Malibu for three days.",
        [("Los Angeles County", "LOC"), ("Malibu", "LOC")],
    ),
    (
        "Jordan's King Abdullah met Egyptian President Abdel Fattah al-Sisi in Cairo.",
        [
            ("Jordan", "LOC"),
            ("Abdullah", "PER"),
            ("Egyptian", "MISC"),
            ("Abdel Fattah al-Sisi", "PER"),
            ("Cairo", "LOC"),
        ],
    ),
    (
        "Georgia's capital Tbilisi was hit by floods, the Interior Ministry said.",
        [("Georgia", "LOC"), ("Tbilisi", "LOC"), ("Interior Ministry", "ORG")],
    ),
    ("Police said Hernandez had been released from a mental hospital a week earlier.", [("Hernandez", "PER")]),
    (
        "Detectives from the Metropolitan Police arrested a man in Birmingham on Thursday.",
        [("Metropolitan Police", "ORG"), ("Birmingham", "LOC")],
    ),
]


def _gold(text, names):
    return {(text.index(surface), text.index(surface) + len(surface), label) for surface, label in names}


def _strict_f1(predictions):
    right = predicted = gold = 0
    for (text, names), spans in zip(NEWSWIRE, predictions, strict=True):
        expected = _gold(text, names)
        found = {(start, end, TO_CONLL[label]) for start, end, label in spans if label in TO_CONLL}
        right, predicted, gold = right + len(found & expected), predicted + len(found), gold + len(expected)
    precision, recall = right / predicted, right / gold
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def scores():
    texts = [text for text, _ in NEWSWIRE]
    plain = spacy.load(MODEL_NAME, exclude=list(COMPONENTS_NER_DOES_NOT_NEED))
    plain_spans = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in plain.pipe(texts)]
    ours = [
        [(m["start"], m["end"], m["label"]) for m in mentions] for mentions in EntityRecognizer().recognize_batch(texts)
    ]
    return _strict_f1(plain_spans), _strict_f1(ours)


def test_newswire_quality_is_at_least_the_plain_models(scores):
    plain, ours = scores
    assert ours >= plain, f"entity stage F1 {ours:.3f} below plain en_core_web_sm {plain:.3f}"
