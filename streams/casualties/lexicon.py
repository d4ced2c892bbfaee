"""Vocabularies several mechanisms share, read from config/casualties/ (see knowledge.py).

A vocabulary one mechanism alone uses is read in that mechanism's module; the ones here are the
common ground: the gaps between victims and triggers, auxiliaries, person nouns, calendar names.
"""

from __future__ import annotations

from streams.casualties.knowledge import knowledge, words

MONTHS = knowledge().calendar.months
WEEKDAYS = knowledge().calendar.weekdays
DAY_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)

AUXILIARY_GAP = words("auxiliary_gap")
ACTIVE_GAP = words("active_gap")
VERB_AUX = words("verb_aux")
SPEECH_VERBS = words("speech_verbs")
CLAUSE_WORDS = VERB_AUX | SPEECH_VERBS | words("clause_words")
CLAUSE_STOPS = words("clause_stops")
LOCATIVES = words("locatives")

SINGULAR_PERSONS = words("singular_persons")
PRONOUNS = words("pronouns")
REFLEXIVES = words("reflexives")
ARTICLES = words("articles")
INDEFINITE_ARTICLES = words("indefinite_articles")
POSSESSIVES = words("possessives")
NEGATED_SUBJECTS = words("negated_subjects")
NON_PERSON = words("non_person")
BODY_WORDS = words("body_words")
BODY_HEADS = words("body_heads")
PLACE_WORDS = words("place_words")

VICTIM_TYPE_OF_WORD = knowledge().victim_types
