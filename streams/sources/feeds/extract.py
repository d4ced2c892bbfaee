"""Main text and metadata of an article page, with trafilatura: what a reader would see, without navigation,
comments, tables or boilerplate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import trafilatura
from trafilatura.settings import Document

from streams.sources.feeds.fetch import Failure, Reason


@dataclass(frozen=True)
class Extracted:
    body: str
    title: str | None
    author: str | None
    date: str | None  # as the page states it (ISO date), when it does


def extract_article(html: bytes, url: str, min_body_chars: int) -> Extracted:
    """The article in `html`; a page with less main text than `min_body_chars` raises Failure(no_text)."""
    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        as_dict=False,
    )
    document = cast("Document | None", extracted)  # a Document, not a dict, with as_dict=False
    if document is None:
        raise Failure(Reason.NO_TEXT, "trafilatura found no main text", html)
    text, title = (document.text or "").strip(), (document.title or "").strip() or None
    lines = text.splitlines()
    if title and lines and lines[0].strip() == title:  # the headline repeated as the first line of the text
        text = "\n".join(lines[1:]).strip()
    if len(text) < min_body_chars:
        raise Failure(Reason.NO_TEXT, f"{len(text)} characters of main text, at least {min_body_chars} needed", html)
    return Extracted(body=text, title=title, author=document.author or None, date=document.date or None)
