"""A victim mention linked to the outcome that governs it, and one sentence's links in the making."""

from __future__ import annotations

from dataclasses import dataclass, field

from streams.casualties.mention import Mention
from streams.casualties.text import Token


@dataclass
class Link:
    mention: Mention
    outcome: str
    relation: str  # after | before | coordinated | elliptical
    trigger: int  # token index of the governing trigger (shared by a coordinated chain)
    weak: bool = False  # "was shot": an injury that may be the same victim who died
    update: bool = False  # "the death toll rose to 50", "fatalities coded as 10"


def chained(mention: Mention, link: Link, relation: str = "coordinated") -> Link:
    """A link for ``mention`` that shares ``link``'s outcome and trigger (one chain)."""
    return Link(mention, link.outcome, relation, link.trigger, link.weak)


@dataclass
class SentenceLinks:
    """What the linking passes of one sentence read and build: its mentions, the links found so
    far (by mention start), the mentions that are sub-groups, and what each linked group contains."""

    tokens: list[Token]
    words: list[str]
    mentions: list[Mention]
    headline: bool
    by_start: dict[int, Mention] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)
    subgroup_starts: set[int] = field(default_factory=set)
    contained: dict[int, list[Mention]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_start = {m.start: m for m in self.mentions}
