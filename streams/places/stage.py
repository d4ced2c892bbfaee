"""The place stage: an enriched event in, the same event with every place resolved out. Pure, no Kafka.

`place_article(enriched)` returns a new event (the input is not changed) in which every place entity and every
figure's `locations` carry name, entity_id, country, admin1 {name, code}, admin2, lat, lon, geonames_id and
precision, and `summary.place` is the incident's place: the first place linked to a figure of the incident toll,
else the article's main place. A figure with no place of its own takes the incident place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from streams.places.context import CUE, DATELINE, ENTITY, PLACE_LABELS, Mention, Scanner
from streams.places.gazetteer import ADMIN1, COUNTRY, Gazetteer, load_gazetteer
from streams.places.knowledge import Knowledge, load_knowledge
from streams.places.names import fold
from streams.places.resolve import Resolution, Resolver, demonym_votes

PLACE_FIELDS = ("name", "entity_id", "country", "admin1", "admin2", "lat", "lon", "geonames_id", "precision")
VOTE_BY_PRECISION = {"country": 0.7, "admin1": 1.5, "admin2": 1.2, "locality": 1.0}
PRECISION_RANK = {"locality": 0, "admin2": 1, "admin1": 2, "country": 3, None: 4}
_OLD_PLACE_FIELDS = ("country", "lat", "lon", "geonames_id")


class PlaceStage:
    """Holds the gazetteer and the knowledge tables (one per process) and places articles."""

    def __init__(self, gazetteer: Gazetteer | None = None, knowledge: Knowledge | None = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.knowledge = knowledge or load_knowledge()
        self.scanner = Scanner(self.knowledge, self._is_region_name, lambda name: bool(self.gazetteer.lookup(name)))
        self.resolver = Resolver(self.gazetteer, self.knowledge)

    def _is_region_name(self, name: str) -> bool:
        g = self.gazetteer
        return any(int(g.kind[c.place]) in (COUNTRY, ADMIN1) for c in g.lookup(name))

    def place_article(self, enriched: dict) -> dict:
        if "error" in enriched:  # a rejection line of `streams enrich` is no article
            return enriched
        text = enriched.get("body") or ""
        entities = list(enriched.get("entities") or [])
        mentions = self._title_mentions(enriched.get("title") or "") + self.scanner.scan(text, entities)
        _renumber_containers(mentions)
        named = demonym_votes(self.knowledge, entities, text)
        resolutions = self.resolver.resolve(mentions, named)
        placed = [
            (m, f) for m, r in zip(mentions, resolutions, strict=True) if r is not None and (f := self._fields(r))
        ]
        new_entities, renamed = self._entities(entities, placed)
        main = self._main_place(placed, named)
        figures = [self._figure(figure, entities, renamed, placed) for figure in enriched.get("casualties") or []]
        incident = self._incident_place(figures, main, placed)
        figures = [_with_inherited(figure, incident) for figure in figures]
        summary = dict(enriched.get("summary") or {})
        summary["entities"] = _summary_entities(new_entities, summary.get("entities") or [])
        summary["place"] = incident
        return {**enriched, "entities": new_entities, "casualties": figures, "summary": summary}

    def _title_mentions(self, title: str) -> list[Mention]:
        """Places named in the title come first, at negative offsets (they are no span of the body)."""
        mentions = self.scanner.scan(title, []) if title.strip() else []
        for mention in mentions:
            _shorten_to_known_head(mention, self.gazetteer)
            shift = len(title) + 2
            mention.start, mention.end = mention.start - shift, mention.end - shift
            mention.title = True
        return mentions

    def _fields(self, resolution: Resolution) -> dict | None:
        g = self.gazetteer
        if resolution.place is not None:
            return g.fields(resolution.place)
        if resolution.via is None:
            return None
        container = g.fields(resolution.via)
        if int(g.kind[resolution.via]) == COUNTRY:
            return None
        admin1 = (container["admin1"] or {}).get("name") or ""
        slug = "-".join(fold(resolution.name).split())
        return container | {
            "name": resolution.name,
            "geonames_id": None,
            "entity_id": f"place:{container['country'].lower()}:{'-'.join(fold(admin1).split())}:{slug}",
        }

    def _entities(self, entities: list[dict], placed: list[tuple[Mention, dict]]) -> tuple[list[dict], dict]:
        """Entities with place fields; organisations named after a place ('Ministry of ...') lose the place
        label; a name the text shows to be a place ('Sirwah (Marib)') gets it. renamed: old id -> fields."""
        by_entity: dict[int, tuple[Mention, dict]] = {}
        for mention, fields in placed:
            if mention.entity is not None and _names_the_entity(mention, entities[mention.entity]):
                by_entity.setdefault(mention.entity, (mention, fields))
        result: list[dict] = []
        renamed: dict[str, dict | None] = {}
        for index, entity in enumerate(entities):
            if index in by_entity:
                mention, fields = by_entity[index]
                if entity.get("label") not in PLACE_LABELS and mention.source not in (ENTITY, DATELINE):
                    entity = {**entity, "label": "GPE"}
                renamed.setdefault(entity["id"], fields)
                result.append(
                    _without_old_fields(entity) | {"id": fields["entity_id"], "canonical": fields["name"]} | fields
                )
            elif entity.get("label") in PLACE_LABELS and self.scanner.is_not_place(entity["text"]):
                result.append(_without_old_fields(entity) | {"label": "ORG", "id": "org:" + _slug(entity["canonical"])})
                renamed.setdefault(entity["id"], None)
            elif entity.get("label") in PLACE_LABELS:
                result.append(_without_old_fields(entity) | _unplaced(entity))
            else:
                result.append(entity)
        return result, renamed

    def _main_place(self, placed: list[tuple[Mention, dict]], named: Counter) -> dict | None:
        """The article's place: its dateline, else the first place below country level in the country most
        named (places, demonyms and actors), else that country itself."""
        for mention, fields in placed:
            if mention.source == DATELINE and fields["precision"] != "country":
                return fields
        votes: dict[str, float] = defaultdict(float, {country: 0.5 * n for country, n in named.items()})
        for mention, fields in placed:
            votes[fields["country"]] += VOTE_BY_PRECISION[fields["precision"]] * (0.5 if mention.source == CUE else 1.0)
        if not votes:
            return None
        top = max(votes, key=lambda country: votes[country])
        if top not in {fields["country"] for _, fields in placed}:
            place = self.gazetteer.country_place.get(top)
            return self.gazetteer.fields(place) if place is not None else None
        inside = [(m, fields) for m, fields in placed if fields["country"] == top]
        finer = [(m, fields) for m, fields in inside if fields["precision"] != "country"]
        region = _top_region(finer)
        in_region = [fields for _, fields in finer if _admin1_name(fields) == region]
        return (in_region or [f for _, f in finer] or [f for _, f in inside])[0]

    def _figure(self, figure: dict, entities: list[dict], renamed: dict, placed) -> dict:
        evidence = figure.get("evidence") or {}
        start, end = evidence.get("start"), evidence.get("end")
        locations = []
        for location in figure.get("locations") or []:
            old = location.get("entity_id")
            if old in renamed:
                fields = renamed[old]
                if fields is not None:
                    locations.append({**location, **fields})
            else:
                locations.append({**_without_old_fields(location), **_unplaced(location)})
        if not any(loc.get("country") for loc in locations) and start is not None:
            own = [fields for mention, fields in placed if start <= mention.start and mention.end <= end]
            locations = [{"text": f["name"], **f} for f in own[:1]] + locations
        return {**figure, "locations": locations}

    def _incident_place(self, figures: list[dict], main: dict | None, placed) -> dict | None:
        dateline = next((f for m, f in placed if m.source == DATELINE and f["precision"] != "country"), None)
        bound = dateline or (main if main and main["precision"] != "country" else None)
        for figure in figures:
            if figure.get("in_incident_total") and not figure.get("cumulative"):
                located = [
                    loc
                    for loc in figure["locations"]
                    if loc.get("country") and (bound is None or _same_admin1(loc, bound))
                ]
                if located:
                    finest = min(located, key=lambda loc: PRECISION_RANK[loc.get("precision")])
                    if (
                        main
                        and finest["precision"] == "country"
                        and main["country"] in {loc["country"] for loc in located}
                    ):
                        return main
                    return _finer_within({k: finest.get(k) for k in PLACE_FIELDS}, main)
        return main


def _names_the_entity(mention: Mention, entity: dict) -> bool:
    """Whether a place mention is the entity itself: any part of a place entity ("Haifa" of "Haifa city"), but
    the whole of another when a designator or an enclosing place says so ("Sirwah (Marib)" labelled a person),
    never a part ("Iraq" of "the Government of Iraq") and
    never a nationality."""
    if entity.get("label") in PLACE_LABELS:
        return True
    if entity.get("label") == "NORP" or not (mention.levels or mention.punctuated):
        return False  # a person's or an organisation's name is a place only by a designator or a container
    return fold(entity["text"]).removeprefix("the ") == fold(mention.text)


def _finer_within(fields: dict, main: dict | None) -> dict:
    """A country- or region-level place gives way to the article's finer main place inside it."""
    if not main or PRECISION_RANK[main["precision"]] >= PRECISION_RANK[fields["precision"]]:
        return fields
    if main["country"] != fields["country"]:
        return fields
    if fields["precision"] == "admin1" and (main.get("admin1") or {}).get("name") != (fields.get("admin1") or {}).get(
        "name"
    ):
        return fields
    return main


def _admin1_name(fields: dict) -> str | None:
    return (fields.get("admin1") or {}).get("name")


def _top_region(placed: list[tuple[Mention, dict]]) -> str | None:
    """The admin1 most of the article's places lie in (a place named by a cue only counts half)."""
    votes: dict[str, float] = defaultdict(float)
    for mention, fields in placed:
        if name := _admin1_name(fields):
            votes[name] += 0.5 if mention.source == CUE else 1.0
    return max(votes, key=lambda name: votes[name]) if votes else None


def _shorten_to_known_head(mention: Mention, gazetteer: Gazetteer) -> None:
    """A title capitalises every word ("Shooting at D.C. Nightclub Leaves 5 Hurt"): an unknown name of several
    words is cut to its longest head the gazetteer knows ("D.C.")."""
    words = mention.text.split(" ")
    if len(words) < 2 or gazetteer.lookup(mention.text):
        return
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        if gazetteer.lookup(head):
            mention.text, mention.end = head, mention.start + len(head)
            return


def _renumber_containers(mentions: list[Mention]) -> None:
    """Containers index their own list; the title's mentions come before the body's."""
    offset = sum(1 for m in mentions if m.title)
    for mention in mentions:
        if not mention.title:
            mention.containers = [j + offset for j in mention.containers]


def _same_admin1(place: dict, other: dict) -> bool:
    return place.get("country") == other.get("country") and (place.get("admin1") or {}).get("name") == (
        other.get("admin1") or {}
    ).get("name")


def _with_inherited(figure: dict, incident: dict | None) -> dict:
    if figure["locations"] or incident is None:
        return figure
    return {**figure, "locations": [{"text": None, **incident, "inherited": True}]}


def _without_old_fields(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in _OLD_PLACE_FIELDS}


def _unplaced(item: dict) -> dict:
    return {
        "name": item.get("canonical") or item.get("text"),
        "entity_id": item.get("id") or item.get("entity_id"),
        "country": None,
        "admin1": None,
        "admin2": None,
        "lat": None,
        "lon": None,
        "geonames_id": None,
        "precision": None,
    }


def _slug(name: str) -> str:
    return "-".join(fold(name).replace("&", " ").split())


def _summary_entities(entities: list[dict], previous: list[dict]) -> list[dict]:
    """Unique entities in order of first mention with mention counts, as the entity stage gives them, plus the
    place fields of places."""
    before = {e["id"]: e for e in previous}
    found: dict[str, dict] = {}
    for mention in sorted(entities, key=lambda m: m["start"]):
        entry = found.get(mention["id"])
        if entry is None:
            base = {k: v for k, v in before.get(mention["id"], {}).items() if k not in _OLD_PLACE_FIELDS}
            found[mention["id"]] = (
                base
                | {
                    "id": mention["id"],
                    "canonical": mention["canonical"],
                    "label": mention["label"],
                    "mentions": 1,
                    "first_offset": mention["start"],
                }
                | {k: mention[k] for k in PLACE_FIELDS if k in mention and k not in ("name", "entity_id")}
            )
        else:
            entry["mentions"] += 1
    return list(found.values())


@lru_cache(maxsize=1)
def default_stage() -> PlaceStage:
    return PlaceStage()


def place_article(enriched: dict) -> dict:
    """The enriched event with its places resolved (a new dict; the input is left as it was)."""
    return default_stage().place_article(enriched)
