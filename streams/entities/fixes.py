"""Corrections of en_core_web_sm's systematic errors on news, driven by config/entities/rules.json.

Each follows the conventions of general newswire annotation (CoNLL style), so the same fix is right on
conflict news and on ordinary news:
- boundaries: a capitalised preposition ("Near Raqqah" as a PERSON), a possessive, and the article of a
  place name ("the United States") are not part of the name; organisations and facilities keep the article
  where the model put it (re3d includes it, CoNLL does not: the model's own call is left alone); an
  organisation run across a possessive is two ("the Ministry of Finance's Customs Department");
- labels by form: weapon acronyms are no entities ("VBIED"), group names are NORP ("Yazidi"),
  "... Mosque/Gate/Street" a FAC, "... Brigades/Front" or "Jaish ..." an ORG, a kunya
  ("Abu Ghadiya") or a leader's regime ("the Asad regime") a PERSON, "... Agreement" a LAW; by the noun after
  it, a name before "tribe" is NORP, one before "language" or "dialect" a LANGUAGE;
- places the model calls persons or organisations: a country name ("refugees in Jordan"), a gazetteer place
  after a locative cue ("in Sinjar"), any name after a strong cue ("near X", "the village of X"), curated
  conflict places;
- places the model left untagged: country names, and capitalised names after a strong cue;
- datelines in capitals ("AIN ISSA, Syria —");
- one name, one label per article: once "Karim Wasifi" is a PERSON, a bare "Karim" or "Wasifi" is too, and
  an untagged "Tobias Ellwood" is once "Ellwood" is.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.entities.gazetteer import CITY, COUNTRY, Gazetteer, load_gazetteer
from streams.entities.knowledge import read_json

PLACE_LABELS = ("GPE", "LOC", "FAC")
POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
MAX_PLACE_TOKENS = 4
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
INDEFINITE_ARTICLES = ("a", "an")
TRAILING_PUNCTUATION = {"(", "[", "{", ",", ";", ":", "-", "–", "—"}
_LATIN_CAPITAL = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F]")


def _without_inner_spans(ents: list[Span]) -> list[Span]:
    """Spans that a longer span of the list covers are dropped (an extended name took them in)."""
    return [e for e in ents if not any(o is not e and o.start <= e.start and e.end <= o.end and len(o) > len(e) for o in ents)]


def _readable_name(text: str) -> bool:
    """A name has a capital in Latin script: "a.i." is an abbreviation, "المزيدي" a name the English model misreads."""
    return any(c.isupper() and _LATIN_CAPITAL.match(c) for c in text)


@Language.factory("entity_fixes")
def make_entity_fixes(nlp: Language, name: str) -> "EntityFixes":
    return EntityFixes(load_gazetteer(), read_json("rules.json"))


class EntityFixes:
    def __init__(self, gazetteer: Gazetteer, rules: dict):
        self.gazetteer = gazetteer
        self.leading_words = set(rules["leading_words_to_trim"])
        self.locative_cues = set(rules["locative_cues"])
        self.strong_locative_cues = set(rules["strong_locative_cues"])
        self.place_nouns = set(rules["place_nouns_before_of"])
        self.titles = set(rules["person_titles"])
        self.not_name_words = set(rules["not_person_name_words"]) | set(rules["facility_words_after_place"])
        self.speech_verbs = set(rules["speech_verbs"])
        self.settlement_nouns = set(rules["settlement_nouns_before_of"])
        self.not_entities = set(rules["not_entities"])
        self.group_names = set(rules["group_names"])
        self.facility_heads = set(rules["facility_head_words"])
        self.organisation_heads = set(rules["organisation_head_words"])
        self.organisation_first_words = set(rules["organisation_first_words"])
        self.person_name_prefixes = set(rules["person_name_prefixes"])
        self.person_head_nouns = set(rules["person_head_nouns"])
        self.article_trimmed_labels = set(rules["labels_without_leading_article"])
        self.names_with_article = {name.lower() for name in rules["names_with_article"]}
        self.person_role_nouns = set(rules["person_role_nouns"])
        self.work_head_words = set(rules["work_head_words"])
        self.law_head_words = set(rules["law_head_words"])
        self.place_apposition_nouns = set(rules["place_nouns_in_apposition"])
        self.name_particles = set(rules["name_particles"])
        self.number_words_in_names = set(rules["number_words_in_names"])
        self.services_before_rank = set(rules["services_before_rank"])
        self.holiday_names = set(rules["holiday_names"])
        self.organisation_cue_nouns = set(rules["organisation_cue_nouns_before_name"])
        self.labels_by_next_noun = {noun: "NORP" for noun in rules["group_nouns_after_name"]} | {
            noun: "LANGUAGE" for noun in rules["language_nouns_after_name"]
        }
        separators = "|".join(re.escape(s) for s in rules["dateline_separators"])
        self.dateline = re.compile(rf"(?:^|\n)[ \t]*([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){{0,3}})\s*(?:{separators})")

    def __call__(self, doc: Doc) -> Doc:
        ents = [self._trimmed(part) for e in doc.ents for part in self._split_at_possessive(e)]
        ents = [self._relabelled_by_form(e) for e in ents if e is not None]
        ents = [self._person_relabelled(e) for e in ents if e is not None]
        ents = self._persons_by_apposition(doc, ents)
        ents = self._places_by_apposition(ents)
        ents = self._organisations_extended(doc, ents)
        name_parts = self._person_name_parts(ents)
        ents = [self._place_relabelled(e, name_parts) for e in ents]
        found = self._datelines(doc) + self._cued_places(doc, ents)
        ents = self._with_spans(ents, found)
        ents = self._with_spans(ents, self._untagged_places(doc, ents, name_parts))
        ents = self._with_spans(ents, self._organisations_after_cue(doc, ents))
        ents = self._persons_consistent(doc, ents)
        ents = [self._labelled_by_next_noun(e) for e in ents]
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc

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

    def _labelled_by_next_noun(self, ent: Span) -> Span:
        """A person or organisation right before "tribe" is a group (NORP: "the Shammar tribe"); any name right
        before "language" or "dialect" is a language ("the Sorani dialect")."""
        doc = ent.doc
        new = self.labels_by_next_noun.get(doc[ent.end].lower_) if ent.end < len(doc) and not ent.kb_id_ else None
        if new is None or ent.label_ == new or (new == "NORP" and ent.label_ not in ("PERSON", "ORG")):
            return ent
        return Span(doc, ent.start, ent.end, label=new)

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
        elif label in ("PERSON", "GPE", "NORP", "LOC") and len(ent) > 1 and (
            ent[-1].text in self.organisation_heads or ent[0].text in self.organisation_first_words
        ):
            new = "ORG"
        elif label in ("WORK_OF_ART", "EVENT", "PRODUCT") and len(ent) > 2 and ent[0].text in self.organisation_heads and ent[1].lower_ == "of":
            new = "ORG"  # "Army of the Victorious Sect", "Front for ...": an armed group, not a work or an event
        return ent if new == label else Span(ent.doc, ent.start, ent.end, label=new)

    @staticmethod
    def _headed_by(ent: Span, heads: set[str]) -> bool:
        """The name's head is one of these words: its last word, or a word followed by "of" ("Book of ...")."""
        doc = ent.doc
        return ent[-1].text in heads or any(
            t.text in heads and t.i + 1 < ent.end and doc[t.i + 1].lower_ == "of" for t in ent
        )

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
        result = [e for e in result if e.label_ not in ("CARDINAL", "ORDINAL") or numbers.get(e.start) is e or len(e) > 1]
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
        """"the United States Department" + "of the Treasury": an organisation head ("Department", "Ministry")
        followed by "of (the) Name" is one name; the model's separate "Treasury" goes into it."""
        if end >= len(doc) - 1 or doc[end - 1].text not in self.organisation_heads or doc[end].lower_ != "of":
            return end
        i = end + 1 + (doc[end + 1].lower_ == "the")
        name_end = i
        while name_end < len(doc) and name_end - i < MAX_PLACE_TOKENS and doc[name_end].is_title and doc[name_end].is_alpha:
            name_end += 1
        inside = [e for e in ents if e.start < name_end and i < e.end]
        if name_end == i or any(e.start < i or e.end > name_end or e.label_ not in ("ORG", "GPE", "LOC") for e in inside):
            return end
        return name_end

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

    def _persons_by_apposition(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names the model calls organisations or places that an apposition shows to be persons: an age
        ("Marcus Reed, 31,"), a role before ("the farm's owner, Jamal Alzoubi") or after ("Knox Thames, the
        Special Advisor"); and a name the model split into an organisation and a person ("Badran Turki" +
        "Hishan al-Mazidi")."""
        result: list[Span] = []
        for ent in sorted(ents, key=lambda e: e.start):
            if self._could_be_person(ent) and self._apposition_of_person(ent):
                ent = Span(doc, ent.start, ent.end, label="PERSON")
            if ent.label_ == "PERSON" and result and result[-1].end == ent.start and self._could_be_person(result[-1], "ORG", "PERSON"):
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
            and not any(t.text in self.titles or t.text in self.not_name_words or t.text in self.organisation_heads for t in ent)
            and self.gazetteer.tier(ent.text) is None
        )

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

    def _before_speech_verb(self, span: Span) -> bool:
        """"Chad said": a person who speaks, not the country."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].lower_ in self.speech_verbs

    def _is_country(self, span: Span) -> bool:
        return span[0].is_title and self.gazetteer.tier(span.text) == COUNTRY

    @staticmethod
    def _person_name_parts(ents: list[Span]) -> set[str]:
        return {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e if t.is_title and t.is_alpha}

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
        return [Span(doc, run.start, run.end, label=self.gazetteer.resolve(run.text).label)]

    def _after_strong_locative_cue(self, doc: Doc, start: int) -> bool:
        """"near X", "the village of X": what follows is a place whether or not the gazetteer knows it."""
        if start == 0:
            return False
        cue = doc[start - 1].lower_
        if cue == "of":
            return start >= 2 and doc[start - 2].lower_ in self.settlement_nouns
        return cue in self.strong_locative_cues

    def _after_locative_cue(self, doc: Doc, start: int) -> bool:
        if start == 0:
            return False
        cue = doc[start - 1].lower_
        if cue == "of":
            return start >= 2 and doc[start - 2].lower_ in self.place_nouns
        return cue in self.locative_cues

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
                    found.append(Span(doc, i, end, label=self.gazetteer.resolve(name.text).label))
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

    @staticmethod
    def _with_spans(ents: list[Span], new_spans: list[Span]) -> list[Span]:
        """New spans replace the model's spans they overlap."""
        for span in new_spans:
            ents = [e for e in ents if e.end <= span.start or span.end <= e.start] + [span]
        return ents

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
            if e.label_ != "PERSON" and not e.kb_id_ and (e.text in name_parts or e.text in single_names) and not self._is_place(e)
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
            both_persons = last is not None and last.label_ == ent.label_ == "PERSON"
            if both_persons and (
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

    def _is_place(self, ent: Span) -> bool:
        return ent.label_ in PLACE_LABELS and self.gazetteer.resolve(ent.text) is not None
