"""The word sets of config/entities/rules.json and the context tests that several fixes share."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from streams.entities.gazetteer import COUNTRY, Gazetteer

PLACE_LABELS = ("GPE", "LOC", "FAC")
POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
MAX_PLACE_TOKENS = 4
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
INDEFINITE_ARTICLES = ("a", "an")
TRAILING_PUNCTUATION = {"(", "[", "{", ",", ";", ":", "-", "–", "—"}


class FixRules:
    """The rule sets the fixes read (one attribute per list of rules.json) and the gazetteer they consult."""

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

    def _before_speech_verb(self, span: Span) -> bool:
        """ "Chad said": a person who speaks, not the country."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].lower_ in self.speech_verbs

    def _is_country(self, span: Span) -> bool:
        return span[0].is_title and self.gazetteer.tier(span.text) == COUNTRY

    def _is_place(self, ent: Span) -> bool:
        return ent.label_ in PLACE_LABELS and self.gazetteer.resolve(ent.text) is not None

    def _after_strong_locative_cue(self, doc: Doc, start: int) -> bool:
        """ "near X", "the village of X": what follows is a place whether or not the gazetteer knows it."""
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

    def _known_place_label(self, text: str) -> str:
        """The label of a name the gazetteer knows as a place (a country, a city after a cue)."""
        place = self.gazetteer.resolve(text)
        if place is None:
            raise LookupError(f"the gazetteer knows {text!r} as a place but resolves it to none")
        return place.label
