"""What an article says about where: candidate place names with their designators, cues and containers.

A name is a possible place when the entity stage calls it one, when a designator word says so ("Borno State",
"Kwatara village", "the province of Idlib"), when it stands in a place structure ("Sirwah (Marib)", "Gary, Ind.",
a dateline), or, weakly, after a locative preposition. A container is a name that encloses the one before it:
"Atarib in the western Aleppo countryside", "Cuauhtemoc municipality, Chihuahua", "Bar-Sanguun village
(Kismaayo, Lower Juba)".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from streams.places.knowledge import Knowledge
from streams.places.names import ARTICLES, fold

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "Richmond Police", "the Fresno County Sheriff": a town's or a county's institution names the place.
INSTITUTION_LEVELS = ("locality", "admin2")
ENTITY, DESIGNATED, STRUCTURE, DATELINE, CUE = "entity", "designated", "structure", "dateline", "cue"
_WORD = r"(?:[A-Z]\.(?:[A-Z]\.)+|(?i:st|ste|mt|ft)\.|[A-Z][\w'’`]*(?:-[\w'’`]+)*)"
_LOWER_ARTICLE = r"(?:(?:al|el|ad|ar|as|ash|an|at|az|ad-d|ar-r)[-‐])"
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:\([A-Za-z. ]{1,12}\)\s*)?(?P<city>[A-Z][A-Z.'’ -]{2,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z.]{1,15}"
    r"(?:\s[A-Z][A-Za-z.]{1,15})?))?\s*(?:\([^)\n]{1,40}\))?\s*[—–-]{1,2}\s*(?=[A-Z\w\"“])"
)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    source: str
    levels: tuple[str, ...] = ()  # what a designator says the name is
    entity: int | None = None  # index of the overlapping entity, if any
    abbreviation: list[tuple[str, str]] = field(default_factory=list)  # (country, admin1) an abbreviation means
    containers: list[int] = field(default_factory=list)  # indices of mentions that enclose this one
    modified: bool = False  # followed by a word that makes a country name an attribute ("US dollar")
    title: bool = False  # found in the article's title (offsets are then negative, no span of the body)
    punctuated: bool = False  # its first container follows a comma or a parenthesis ("Sirwah (Marib)")

    @property
    def strong(self) -> bool:
        return self.source != CUE


class Scanner:
    """Finds candidate place mentions in one article's text."""

    def __init__(
        self,
        knowledge: Knowledge,
        region_names: Callable[[str], bool] = lambda name: False,
        known_names: Callable[[str], bool] = lambda name: False,
    ):
        """region_names: whether a name is a known region or country, known_names: any known place (to split
        "Mojolo Sinaloa" but not "Mt. Washington")."""
        self.knowledge = knowledge
        self.region_names = region_names
        self.known_names = known_names
        self._heads = frozenset(knowledge.not_place_heads)
        self._not_place: dict[str, bool] = {}
        particles = "|".join(sorted((re.escape(p) for p in knowledge.name_particles), key=len, reverse=True))
        self.name = re.compile(
            rf"(?<![\w'’-]){_LOWER_ARTICLE}?{_WORD}(?:(?:\s+(?:(?:{particles})[\s-]+){{0,2}}|-){_WORD}){{0,5}}"
        )
        words = sorted({w for level in knowledge.designators.values() for w in level}, key=len, reverse=True)
        designator = "|".join(re.escape(w) for w in words)
        directions = "|".join(sorted((re.escape(d) for d in knowledge.directions), key=len, reverse=True))
        surroundings = "|".join(re.escape(s) for s in knowledge.surroundings)
        self.designator_after = re.compile(rf"\s+({designator})\b", re.IGNORECASE)
        self.designator_before = re.compile(rf"\b(?:the\s+)?({designator})\s+of\s+(?:the\s+)?$", re.IGNORECASE)
        self.connector = re.compile(
            rf"^(?:\s+(?:{designator}))?(?:\s+(?:{surroundings}))?\s*(?:,|\()?\s*(?:(?:in|of)\s+)?(?:the\s+)?"
            rf"(?:(?:{directions})\s+)?(?:(?:{surroundings}|{designator})\s+of\s+(?:the\s+)?)?(?:(?:{directions})\s+)?$",
            re.IGNORECASE,
        )
        self.designator_words = frozenset(w for level in knowledge.designators.values() for w in level)
        self.not_place_after = frozenset(knowledge.not_place_after)
        self.words_after = re.compile(r"[-\s]+([A-Za-z][\w'’]*)(?:[ \t]+([A-Za-z][\w'’]*))?")

    def scan(self, text: str, entities: list[dict]) -> list[Mention]:
        spans = _EntitySpans(entities)
        mentions = [m for match in self.name.finditer(text) for m in self._split(self._mention(match, text, spans))]
        mentions += self._entities_without_names(mentions, entities)
        mentions.sort(key=lambda m: m.start)
        mentions = self._with_dateline(text, mentions)
        self._link_containers(text, mentions)
        return _structural_only_when_linked(mentions)

    def _trimmed(self, match: re.Match, spans: _EntitySpans) -> tuple[int, int, str] | None:
        """The name without leading function words, unless the entity stage's span begins with it ("At Tuhayat")."""
        name, start = match.group(0), match.start()
        while start not in spans.start_set:
            head, _, rest = name.partition(" ")
            word = head.lower().rstrip(".")
            if word not in self.knowledge.leading_words or (word in ARTICLES and rest[:1].isupper()):
                break  # "At Tuhayat": the gazetteer lookup drops an article it does not know
            if not rest:
                return None
            start += len(name) - len(rest.lstrip())
            name = rest.lstrip()
        for possessive in ("'s ", "’s "):
            name = name.split(possessive, 1)[0]  # "Chicago's South Side" is in Chicago
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        return start, start + len(name), name

    def _context_words(self, text: str, start: int) -> list[str]:
        """Up to four lower-cased words before a position."""
        return text[max(0, start - 40) : start].lower().split()[-4:]

    def _mention(self, match: re.Match, text: str, spans: _EntitySpans) -> Mention | None:
        trimmed = self._trimmed(match, spans)
        if trimmed is None or self._never_a_place(trimmed[2]):
            return None
        start, end, name = trimmed
        after = self.words_after.match(text, end)
        next_words = [w.lower() for w in after.groups() if w] if after else []
        before = self._context_words(text, start)
        levels, name, end = self._levels(text, start, end, name, next_words, before)
        entity = spans.overlapping(start, end)
        label = spans.entities[entity]["label"] if entity is not None else None
        if self.is_not_place(name) or self.is_not_place(spans.entities[entity]["text"] if entity is not None else ""):
            return None
        if next_words and (next_words[0] in self.not_place_after or " ".join(next_words) in self.not_place_after):
            return None
        if " " in name:
            words = name.split()
            if any(fold(w) in self.knowledge.drop_words for w in words[1:]) or words[-1].lower() in ("st.", "st"):
                return None  # "Weir Street", "Highwood Bar", "Main St." (but "Port St. Lucie" is a town)
            cut = next((k for k, w in enumerate(words) if k and fold(w) in self.knowledge.cut_words), None)
            if cut is not None:
                name = " ".join(words[:cut])
                end = start + len(name)
                levels, name, end = self._levels(text, start, end, name, [], before)  # "Ohio State Police"
                levels = levels or INSTITUTION_LEVELS
        abbreviation = self._abbreviation(name, text[end : end + 1])
        source = self._source(text, start, end, fold(name), label, levels, abbreviation, before)
        if source is None:
            return None
        modified = bool(next_words) and next_words[0] in self.knowledge.modifiers
        return Mention(start, end, name, source, levels, entity, list(abbreviation), modified=modified)

    def _abbreviation(self, name: str, next_char: str) -> list[tuple[str, str]]:
        """The regions an abbreviation names; a name match stops before a full stop, so 'Va' before '.' is 'Va.'."""
        known = self.knowledge.abbreviations
        return known.get(name) or (known.get(name + ".", []) if next_char == "." else [])

    def _never_a_place(self, name: str) -> bool:
        """Articles, designators, directions, short abbreviations and acronyms alone."""
        key, known = fold(name), self.knowledge
        if key in ARTICLES or len(name) < 2 or key in known.drop_words or key in known.cut_words:
            return True
        if key in known.directions or key in known.part_words:
            return True  # "North", "Metro" alone
        short = len(name) <= 4 and name not in known.abbreviations
        if short and name.endswith(".") and " " not in name and not self.known_names(name):
            return True  # "Sgt.", "Ave." (but "D.C." is a place)
        return short and name.isupper() and not self.region_names(name)  # "FOX", "BJP"

    def _levels(self, text: str, start: int, end: int, name: str, next_words: list[str], before: list[str]):
        """What the words around say the name is, and the name without a trailing designator it does not need:
        "Borno State", "Kwatara village", "the province of Idlib", "Memphis police", "a Sandusky man"."""
        levels: tuple[str, ...] = ()
        last = name.rsplit(" ", 1)
        if len(last) == 2 and last[1].lower() in self.designator_words:
            levels = self.knowledge.level_of_designator(last[1])
            if not self.known_names(name):  # "Panama City" and "Mathews County" are names whole
                name, end = last[0], start + len(last[0])
        elif next_words and next_words[0] in self.designator_words and text[end : end + 1].isspace():
            levels = self.knowledge.level_of_designator(next_words[0])
        if len(before) >= 2 and before[-1] in ("of", "the") and not levels:
            of_at = -1 if before[-1] == "of" else -2
            if len(before) >= 1 - of_at and before[of_at] == "of" and before[of_at - 1] in self.designator_words:
                levels = self.knowledge.level_of_designator(before[of_at - 1])
        if not levels and next_words and next_words[0] in self.knowledge.cut_words:
            levels = INSTITUTION_LEVELS  # "Memphis police": the police of a place
        if (
            not levels
            and next_words
            and next_words[0] in self.knowledge.resident_nouns
            and before[-1:] in (["a"], ["an"])
        ):
            levels = ("locality",)  # "a Sandusky man"
        return levels, name, end

    def _source(self, text, start, end, key, label, levels, abbreviation, before) -> str | None:
        """Why the name is a possible place, or None: the entity stage, a designator, a structure, a cue."""
        if label in PLACE_LABELS:
            return ENTITY
        if levels:
            return DESIGNATED
        if abbreviation or text[max(0, start - 2) : start].strip() in ("(", ",") or text[end : end + 2].strip() == "(":
            return STRUCTURE
        if self._region_follows(text, end):
            return STRUCTURE  # "Memphis, Tennessee", "Gary, Ind."
        nationality = label == "NORP" and key in self.knowledge.demonyms
        if not nationality and before and _cue_word(before) in self.knowledge.locative_cues:
            return CUE
        return None

    def _region_follows(self, text: str, end: int) -> bool:
        """Whether ', <a region or its abbreviation>' follows: the name is a town of that region."""
        if text[end : end + 1] != ",":
            return False
        start = end + 1
        while start < len(text) and text[start] in " \t":
            start += 1
        after = self.name.match(text, start)
        if after is None:
            return False
        region = after.group(0)
        return bool(self._abbreviation(region, text[after.end() : after.end() + 1]) or self.region_names(region))

    def _split(self, mention: Mention | None) -> list[Mention]:
        """ "Mojolo Sinaloa" is a town and its region: two mentions, the second enclosing the first."""
        if mention is None:
            return []
        words = mention.text.split(" ")
        if len(words) < 2 or self.known_names(mention.text):
            return [mention]
        for k in range(1, len(words)):
            head, tail = " ".join(words[:k]), " ".join(words[k:])
            if not head.endswith(".") and self.region_names(tail):
                tail_start = mention.start + len(head) + 1
                first = Mention(mention.start, mention.start + len(head), head, mention.source, (), mention.entity)
                second = Mention(tail_start, mention.end, tail, STRUCTURE, mention.levels, mention.entity)
                return [first, second]
        return [mention]

    def is_not_place(self, name: str) -> bool:
        """Organisations and buildings named after places: 'the Ministry of Rural Development'."""
        known = self._not_place.get(name)
        if known is None:
            words = fold(name).removeprefix("the ").split()
            known = bool(words) and (words[0] in self._heads or " ".join(words[:2]) in self._heads)
            if len(self._not_place) < 100_000:
                self._not_place[name] = known
        return known

    def _entities_without_names(self, mentions: list[Mention], entities: list[dict]) -> list[Mention]:
        """Place entities no name match covers (a lower-case or split span), unless they name a building."""
        covered = [(m.start, m.end) for m in mentions]
        extra = []
        for index, entity in enumerate(entities):
            start, end, text = entity["start"], entity["end"], entity["text"]
            if entity.get("label") not in PLACE_LABELS or self.is_not_place(text) or self._never_a_place(text):
                continue
            if any(s < end and start < e for s, e in covered):
                continue
            if any(fold(w) in self.knowledge.drop_words for w in text.split()[1:]):
                continue
            extra.append(Mention(start, end, text, ENTITY, (), index))
        return extra

    def _with_dateline(self, text: str, mentions: list[Mention]) -> list[Mention]:
        match = _DATELINE.search(text, 0, min(len(text), 600))
        if not match or len(match.group("city").strip()) < 3:
            return mentions
        city_start, city_end = match.span("city")
        city = text[city_start:city_end].strip()
        found = [m for m in mentions if not (m.end <= city_start or m.start >= match.end())]
        kept = [m for m in mentions if m not in found]
        head = Mention(city_start, city_start + len(city), city, DATELINE, ("locality",))
        added = [head]
        if match.group("region"):
            region = match.group("region")
            added.append(
                Mention(
                    match.start("region"),
                    match.end("region"),
                    region,
                    DATELINE,
                    abbreviation=list(self.knowledge.abbreviations.get(region, [])),
                )
            )
        for mention in added:
            mention.entity = next((m.entity for m in found if m.start < mention.end and mention.start < m.end), None)
        return sorted(kept + added, key=lambda m: m.start)

    def _link_containers(self, text: str, mentions: list[Mention]) -> None:
        """Each mention's enclosing names: the next ones joined to it by a connector ("X, Y", "X (Y, Z)")."""
        for i, mention in enumerate(mentions):
            previous = mention
            for j in range(i + 1, min(len(mentions), i + 4)):
                gap = text[previous.end : mentions[j].start]
                if len(gap) > 60 or not self.connector.match(gap) or "\n" in gap:
                    break
                if not mention.containers:
                    mention.punctuated = "(" in gap or "," in gap
                mention.containers.append(j)
                previous = mentions[j]


def _structural_only_when_linked(mentions: list[Mention]) -> list[Mention]:
    """A name taken for its punctuation alone ("(Marib)", ", Lower Juba", "KP") stays only inside a structure."""
    contained = {j for m in mentions for j in m.containers}
    keep = [
        i
        for i, m in enumerate(mentions)
        if (m.source != STRUCTURE and not (m.abbreviation and m.source != DATELINE)) or m.containers or i in contained
    ]
    renumber = {old: new for new, old in enumerate(keep)}
    kept = [mentions[i] for i in keep]
    for mention in kept:
        mention.containers = [renumber[j] for j in mention.containers if j in renumber]
    return kept


def _cue_word(before: list[str]) -> str:
    """The word before a name, skipping an article: "near the X" -> "near"."""
    if before[-1] == "the" and len(before) >= 2:
        return before[-2]
    return before[-1]


class _EntitySpans:
    """The entity mentions of one article, searchable by offsets."""

    def __init__(self, entities: list[dict]):
        self.entities = entities
        self.order = sorted(
            (e["start"], e["end"], i) for i, e in enumerate(entities) if e.get("label") not in _NOT_NAME_LABELS
        )
        self.starts = [start for start, _, _ in self.order]
        self.start_set = frozenset(self.starts)

    def overlapping(self, start: int, end: int) -> int | None:
        """The first entity (by start) that overlaps [start, end)."""
        k = bisect.bisect_left(self.starts, end)
        found = [i for s, e, i in self.order[max(0, k - 8) : k] if s < end and start < e]
        return min(found, key=lambda i: self.entities[i]["start"]) if found else None


_NOT_NAME_LABELS = frozenset({"DATE", "CARDINAL", "TIME", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
