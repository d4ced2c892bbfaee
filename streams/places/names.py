"""Name keys shared by the gazetteer build and the lookups: one folding, so spelling variants meet."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf'`´ʿʾ]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.,]+")
# Arabic-style articles glued to names ("al-Raqqa", "Ar Raqqah", "el-Arish"): a name is also known without one.
ARTICLES = ("al", "el", "ar", "as", "ad", "an", "at", "az", "ash", "adh", "ath", "as")


def ascii_name(text: str) -> str:
    """A name as plain ASCII for display: "Tall ‘Afar" -> "Tall Afar"."""
    return unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).encode("ascii", "ignore").decode()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Comparison key: case, accents, apostrophes, periods and hyphens do not count ("Ar-Raqqāh" -> "ar raqqah"),
    nor do the short forms of Saint, Mount and Fort ("Port St. Lucie" -> "port saint lucie")."""
    key = _SEPARATORS.sub(" ", ascii_name(text)).strip().lower()
    if _SHORT_FORMS_PRESENT.search(key):
        key = " ".join(_SHORT_FORMS.get(word, word) for word in key.split(" "))
    return key


_SHORT_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_SHORT_FORMS_PRESENT = re.compile(r"\b(?:st|ste|mt|ft)\b")


_LOOSE = (
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"y"), "i"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"q"), "k"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"h\b"), ""),
)


def loose_key(key: str) -> str:
    """A folded key with common transliteration variants merged ("tillabery" and "tillaberi", "raqqah" and
    "raqa"): used for region names only, and only when the exact key finds nothing."""
    for pattern, replacement in _LOOSE:
        key = pattern.sub(replacement, key)
    return "~" + key


def without_article(key: str) -> str:
    """A folded key without a leading Arabic-style article ("al raqqa" -> "raqqa"), else the key itself."""
    head, _, rest = key.partition(" ")
    return rest if head in ARTICLES and rest else key


def name_hash(key: str) -> int:
    """A signed 64-bit digest of a folded key: the gazetteer indexes names by these, not by strings."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


def strip_words(key: str, words: frozenset[str]) -> str:
    """A folded key without the given words ("muhafazat al hudaydah" -> "al hudaydah" for {"muhafazat"})."""
    kept = [word for word in key.split() if word not in words]
    return " ".join(kept) if kept else key
