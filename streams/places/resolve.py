"""Which place each mention denotes: gazetteer candidates ranked by the article's own context.

A candidate gains from what encloses it ("Atarib in the western Aleppo countryside": a town of Aleppo), from the
countries and regions the article names (the dateline, the other places, demonyms), from a designator that fits
("Borno State" is a region) and, last, from its population. Two passes: the second counts the first's choices.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from streams.places.context import CUE, DATELINE, Mention
from streams.places.gazetteer import ADMIN1, ADMIN2, COUNTRY, LOCALITY, Candidate, Gazetteer
from streams.places.knowledge import Knowledge
from streams.places.names import fold

LEVEL_KINDS = {"admin1": (ADMIN1,), "admin2": (ADMIN2,), "locality": (LOCALITY,)}
KIND_PRIOR = {COUNTRY: 4.0, ADMIN1: 0.5, ADMIN2: 0.0, LOCALITY: 0.0}
# Weights of the evidence, tuned on one half of the ACLED dev set (streams/places/scoring.py).
WEIGHTS = {
    "country": 4.0,
    "admin1": 2.0,
    "container": 6.0,
    "contained": 3.0,
    "population": 0.8,
    "main": 1.0,
    "level_mismatch": 4.0,
    "bare_region": 2.0,
    "abbreviation": 8.0,
}
NEAR_KM = 60.0
# Sources whose name alone is too weak to place an article in a country nothing else in it names.
FOREIGN_CHECKED = (CUE, DATELINE)
FOREIGN_EVIDENCE = 2.0
CANDIDATES_PER_MENTION = 15


@dataclass
class Resolution:
    place: int | None  # gazetteer row, or None when only a container placed the name
    name: str
    via: int | None = None  # the container's row when the name itself is unknown
    score: float = 0.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


class Resolver:
    def __init__(self, gazetteer: Gazetteer, knowledge: Knowledge):
        self.g = gazetteer
        self.knowledge = knowledge

    def candidates(self, mention: Mention) -> list[Candidate]:
        g = self.g
        if mention.abbreviation:
            found = []
            for country, admin1 in mention.abbreviation:
                found += [c for c in g.lookup(admin1) if g.kind[c.place] == ADMIN1 and g.country_of(c.place) == country]
            if found or mention.source != DATELINE:
                return found
        found = g.lookup(mention.text) or self._town_of_part(mention.text)
        if mention.modified and any(g.kind[c.place] == COUNTRY for c in found):
            return []
        if len(found) > CANDIDATES_PER_MENTION:
            found = sorted(found, key=lambda c: -int(g.population[c.place]))[:CANDIDATES_PER_MENTION]
        return found

    def _town_of_part(self, name: str) -> list[Candidate]:
        """'Southwest Philadelphia', 'Greater Bluffton', 'Louisville Metro': a part of a place (a direction or a
        part word before or after a name the gazetteer knows) is placed at that place, never at a country."""
        known = self.knowledge
        first, _, rest = name.partition(" ")
        if (
            rest
            and (fold(first) in known.directions or fold(first) in known.part_words)
            and fold(rest) not in known.area_nouns
        ):
            return [c for c in self.g.lookup(rest) if self.g.kind[c.place] != COUNTRY]
        rest, _, last = name.rpartition(" ")
        if rest and fold(last) in known.part_words:
            return [c for c in self.g.lookup(rest) if self.g.kind[c.place] != COUNTRY]
        return []

    def inside(self, place: int, container: int) -> bool:
        """Whether a place lies in (or is) the container."""
        g = self.g
        if place == container:
            return True
        if g.country[place] != g.country[container]:
            return False
        kind = int(g.kind[container])
        if kind == COUNTRY:
            return True
        if kind == ADMIN1:
            return int(g.admin1[place]) == container
        if kind == ADMIN2 and int(g.admin2[place]) == container:
            return True
        if kind in (ADMIN2, LOCALITY):
            return (
                int(g.admin1[place]) == int(g.admin1[container])
                and distance_km(g.lat[place], g.lon[place], g.lat[container], g.lon[container]) < NEAR_KM
            )
        return False

    def resolve(self, mentions: list[Mention], demonyms: Counter) -> list[Resolution | None]:
        options = [self.candidates(m) for m in mentions]
        self._priors: dict[tuple[int, int], float] = {}
        self._contained_in = defaultdict(list)
        for k, mention in enumerate(mentions):
            for j in mention.containers:
                self._contained_in[j].append(k)
        countries, regions, _ = self._votes(mentions, options, None, demonyms)
        chosen = [self._best(i, mentions, options, countries, regions, None) for i in range(len(mentions))]
        countries, regions, self._by_mention = self._votes(mentions, options, chosen, demonyms)
        self._named = {self.g.country_place[c]: 0.5 * n for c, n in demonyms.items() if c in self.g.country_place}
        chosen = [self._best(i, mentions, options, countries, regions, chosen) for i in range(len(mentions))]
        self._by_mention = None
        self._priors = {}
        return [self._resolution(i, mentions, chosen) for i in range(len(mentions))]

    _by_mention: list[dict[int, float]] | None = None
    _named: dict[int, float] = {}
    _contained_in: dict[int, list[int]] = {}

    def _foreign(self, place: int, i: int, strong: bool = False) -> bool:
        """The rest of the article points at other countries and none of it at this place's country; for a
        name the entity stage or a structure gave (strong), the rest must say so at least FOREIGN_EVIDENCE times."""
        if self._by_mention is None or self.g.kind[place] == COUNTRY:
            return False
        others: dict[int, float] = defaultdict(float, self._named)
        for k, votes in enumerate(self._by_mention):
            if k != i:
                for country, amount in votes.items():
                    others[country] += amount
        if others.get(int(self.g.country[place]), 0.0) > 1e-9 or not others:
            return False
        return not strong or max(others.values()) >= FOREIGN_EVIDENCE

    def _votes(self, mentions, options, chosen, demonyms: Counter):
        """Shares of the article's evidence per country and per admin1 (0..1, the best at 1), and each
        mention's own country votes (demonyms and actors aside)."""
        g = self.g
        countries: dict[int, float] = defaultdict(float)
        for code, n in demonyms.items():
            if code in g.country_place:
                countries[g.country_place[code]] += 0.5 * n
        regions: dict[int, float] = defaultdict(float)
        by_mention: list[dict[int, float]] = []
        for i, mention in enumerate(mentions):
            own: dict[int, float] = {}
            by_mention.append(own)
            weight = 0.4 if mention.source == CUE else (2.0 if mention.source == DATELINE else 1.0)
            picks = [chosen[i][0]] if chosen and chosen[i] else [c.place for c in options[i]]
            if not picks:
                continue
            if any(g.kind[p] == COUNTRY for p in picks) and not chosen:
                picks = [p for p in picks if g.kind[p] == COUNTRY]
            own_countries = {int(g.country[p]) for p in picks}
            for country in own_countries:
                own[country] = weight * (2.0 if mention.abbreviation else 1.0) / len(own_countries)
                countries[country] += own[country]
            own_regions = {int(g.admin1[p]) for p in picks if g.admin1[p] >= 0}
            for region in own_regions:
                regions[region] += weight / max(len(own_regions), len(picks))
        return _shares(countries), _shares(regions), by_mention

    def _best(self, i, mentions, options, countries, regions, chosen) -> tuple[int, float] | None:
        mention = mentions[i]
        best: tuple[int, float] | None = None
        if len(options[i]) == 1:  # nothing to rank: the checks below still apply
            best = (options[i][0].place, 0.0)
        for candidate in options[i] if len(options[i]) > 1 else ():
            score = self._score(candidate, mention, i, mentions, options, countries, regions, chosen)
            if best is None or score > best[1]:
                best = (candidate.place, score)
        if best and mention.source == CUE and not self._cue_accepted(best[0], options[i], countries):
            return None
        if best and not mention.containers and self._foreign(best[0], i, strong=mention.source not in FOREIGN_CHECKED):
            return None
        if best and not self._fits_a_container(best[0], i, mentions, options, chosen):
            return None  # "Orikhove, Luhansk" with no Orikhove in Luhansk: the container places it
        return best

    def _fits_a_container(self, place: int, i: int, mentions, options, chosen) -> bool:
        """True unless the mention has resolvable containers and the place lies in none of them."""
        hits = []
        for j in mentions[i].containers:
            hits += [c.place for c in options[j]] if not chosen or not chosen[j] else [chosen[j][0]]
        if not hits:
            return True
        if any(self.inside(place, h) or self.inside(h, place) for h in hits):
            return True
        # A town in parentheses may be a part ("Panama City (Bella Vista)"): it rules out other countries only.
        regions = [h for h in hits if self.g.kind[h] != LOCALITY]
        return not regions and any(self.g.country[h] == self.g.country[place] for h in hits)

    def _cue_accepted(self, place: int, options: list[Candidate], countries: dict[int, float]) -> bool:
        """A name taken only for its preposition ("near X") must fit the article or be unique to one country."""
        g = self.g
        if countries.get(int(g.country[place]), 0.0) >= 0.5:
            return True
        return len({int(g.country[c.place]) for c in options}) == 1 and any(c.main for c in options)

    def _prior(self, candidate: Candidate, mention: Mention) -> float:
        """What the name and the place say without the article: kind, population, main name, designator."""
        key = (id(mention), candidate.place)
        cached = self._priors.get(key)
        if cached is not None:
            return cached
        g, w, place = self.g, WEIGHTS, candidate.place
        kind = g.kind[place]
        score = KIND_PRIOR[kind] + w["population"] * math.log10(g.population[place] + 10)
        score += w["main"] * candidate.main
        if mention.levels and kind not in {k for level in mention.levels for k in LEVEL_KINDS[level]}:
            score -= w["level_mismatch"]
        elif not mention.levels and not candidate.main and kind in (ADMIN1, ADMIN2):
            score -= w["bare_region"]  # "Albany" alone is the city more often than Albany County
        self._priors[key] = score
        return score

    def _score(self, candidate: Candidate, mention: Mention, i, mentions, options, countries, regions, chosen) -> float:
        g, w, place = self.g, WEIGHTS, candidate.place
        score = self._prior(candidate, mention)
        score += w["country"] * countries.get(g.country[place], 0.0)
        score += w["admin1"] * regions.get(g.admin1[place], 0.0)
        for j in mention.containers:
            hits = [c.place for c in options[j]] if not chosen or not chosen[j] else [chosen[j][0]]
            if any(self.inside(place, h) for h in hits if h != place or mentions[j].text == mention.text):
                score += w["abbreviation"] if mentions[j].abbreviation else w["container"]
        for k in self._contained_in.get(i, ()):
            inner = [c.place for c in options[k]] if not chosen or not chosen[k] else [chosen[k][0]]
            if any(self.inside(p, place) for p in inner if p != place):
                score += w["contained"]
        return score

    def _resolution(self, i: int, mentions: list[Mention], chosen) -> Resolution | None:
        mention = mentions[i]
        if chosen[i]:
            return Resolution(chosen[i][0], mention.text, score=chosen[i][1])
        for j in mention.containers:
            if (chosen[j] and not mentions[j].abbreviation) or (chosen[j] and mention.source != CUE):
                if mention.source == CUE:
                    return None
                return Resolution(None, mention.text, via=chosen[j][0])
        return None


def _shares(votes: dict[int, float]) -> dict[int, float]:
    top = max(votes.values(), default=0.0)
    return {key: value / top for key, value in votes.items()} if top else {}


# Actor names start with a capital or a "pro-"/"anti-"/"al-" prefix ("pro-Houthi"): only such words are looked up.
_WORDS = re.compile(r"(?<![\w-])(?:[A-Z]|(?:pro|anti|al)-)[\w'’&().-]*")


_ACTOR_INDEX: dict[int, dict[str, list[tuple[str, str]]]] = {}


def _actors_by_first_word(knowledge: Knowledge) -> dict[str, list[tuple[str, str]]]:
    """Actor names by their first word, built once per knowledge table."""
    index = _ACTOR_INDEX.get(id(knowledge))
    if index is None:
        index = defaultdict(list)
        for name, country in knowledge.actors.items():
            index[name.split()[0]].append((name, country))
        _ACTOR_INDEX[id(knowledge)] = index
    return index


def demonym_votes(knowledge: Knowledge, entities: list[dict], text: str = "") -> Counter:
    """Countries named by nationality words (NORP entities such as 'Syrian', 'Afghan') and by the actors of
    one country (config/places/actors.jsonl: 'Taliban', 'OSCE SMM'), matched whole-word."""
    votes: Counter = Counter()
    index = _actors_by_first_word(knowledge)
    for match in _WORDS.finditer(text):
        for name, country in index.get(match.group(0).rstrip(".,"), ()):
            end = match.start() + len(name)
            whole = not (end < len(text) and (text[end].isalnum() or text[end] == "-"))
            if whole and text.startswith(name, match.start()):
                votes[country] += 1
                break
    for entity in entities:
        if entity.get("label") == "NORP":
            nationality = knowledge.demonyms.get(fold(entity["text"]).removeprefix("the "))
            if nationality:
                votes[nationality] += 1
    return votes
