"""Where the entity layer's knowledge lives: data files under config/entities/, not code."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

# Overridable so a deployment can ship its own tables without touching the package.
CONFIG_DIR = Path(
    os.environ.get("STREAMS_ENTITIES_CONFIG", Path(__file__).resolve().parents[2] / "config" / "entities")
)


def read_jsonl(name: str) -> Iterator[dict]:
    """Rows of one JSONL table under CONFIG_DIR."""
    with open(CONFIG_DIR / name, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_json(name: str) -> dict:
    with open(CONFIG_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf'`´]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_]+")


def ascii_name(text: str) -> str:
    """A name as plain ASCII for display and ids: "Tall ‘Afar" -> "Tall Afar"."""
    return unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).encode("ascii", "ignore").decode()


def fold(text: str) -> str:
    """Comparison key that merges spelling variants: accents, apostrophes, hyphens and case do not count.

    "Ar-Raqqah", "ar Raqqah" and "Ar Raqqāh" all fold to "ar raqqah".
    """
    return _SEPARATORS.sub(" ", ascii_name(text)).strip().lower()


def slug(text: str) -> str:
    """Id-safe form of a name: "Rupert Jones" -> "rupert-jones"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace(".", "")).strip("-")
