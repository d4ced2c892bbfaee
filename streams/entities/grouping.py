"""Within one article, mentions of one entity share a canonical name and id.

Places and curated organisations are merged already by their ids; here a person's short form takes the full
name it abbreviates ("Jones" -> "Rupert Jones") and an acronym takes the organisation it abbreviates.
"""

from __future__ import annotations

from collections.abc import Set

PLACE_FIELDS = ("country", "lat", "lon", "geonames_id")


def group_mentions(mentions: list[dict], person_titles: Set[str] = frozenset()) -> list[dict]:
    """The mentions with canonical and id of the fullest co-referring name in the article."""
    people = _longest_first({m["canonical"]: m for m in mentions if m["label"] == "PERSON"}.values())
    organisations = [m for m in mentions if m["label"] == "ORG"]
    grouped = []
    for mention in mentions:
        if mention["label"] == "PERSON":
            target = _person_antecedent(mention, people, person_titles)
        elif mention["label"] == "ORG":
            target = _expansion_of_acronym(mention, organisations)
        else:
            target = None
        grouped.append(mention | {"canonical": target["canonical"], "id": target["id"]} if target else mention)
    return grouped


def _longest_first(mentions) -> list[dict]:
    return sorted(mentions, key=lambda m: -len(m["canonical"].split()))


def _person_antecedent(mention: dict, people: list[dict], titles: Set[str]) -> dict | None:
    """The unique longer name containing this one's words in order; none when ambiguous ("Ali" of two Alis)."""
    words = [w for w in mention["canonical"].split() if w not in titles]
    if not words:
        return None
    candidates = {
        p["id"]: p
        for p in people
        if len(p["canonical"].split()) > len(words) and _contains_in_order(p["canonical"].split(), words)
    }
    if len(candidates) != 1:
        return None
    return next(iter(candidates.values()))


def _contains_in_order(full: list[str], part: list[str]) -> bool:
    remaining = iter(full)
    return all(word in remaining for word in part)


def _expansion_of_acronym(mention: dict, organisations: list[dict]) -> dict | None:
    acronym = mention["canonical"]
    if not (acronym.isupper() and 2 <= len(acronym) <= 6 and acronym.isalpha()):
        return None
    for other in organisations:
        initials = "".join(w[0] for w in other["canonical"].split() if w[0].isupper())
        if other is not mention and initials == acronym and len(other["canonical"].split()) > 1:
            return other
    return None
