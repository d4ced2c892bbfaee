"""Does a report belong to an open incident of its region? A score from the evidence both share.

A report is compared with every open incident of its region (the country) whose day lies within `far_days`
of the report's incident day. The score adds up:
* text: cosine of the two bags of words and entities (title and prose lead), each term weighted by how rare it
  is among the region's open incidents, so "police" and "shooting" count for little and a victim's or a
  street's name for much;
* named victims in common (persons named beside the toll), each worth `victim_weight` (at most two);
* place: the same locality (or two points within `same_place_km`) adds `place_weight`, two different
  localities of one admin1 take half of it away, two different admin1 take `region_penalty`; a coarser place
  on either side is neutral;
* toll: a restated toll adds `toll_weight`; a report whose toll is incompatible with the incident's (not an
  explicit update upwards) joins only when text and names alone reach `incompatible_below`, or
  `incompatible_same_place_below` from the incident's own locality with a toll within a factor of two;
* distance: a report placed in another admin1, or more than `distant_km` from the incident's locality, joins
  only when text and names alone reach `distant_below` (alike reports of two towns are told apart by place).
The best incident joins when its score reaches `near_threshold` (days apart at most `near_days`), or the
higher `far_threshold` for a later report. Only a report that reads as a follow-up may join that far (it
tells of a charge, a trial or a sentence, or names no day of its own): news of a fresh incident (a weekday,
today, overnight) is a new incident, however alike two shootings in one city read. A later report must also
share at least `far_shared_terms` terms with the incident (a cheap filter). Otherwise the report opens a new
incident. The values were measured on half A of the GVA incident pages by
`python -m streams.incidents.scoring --tune` and hold on half B (docs/incidents.md).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date

from streams.incidents.toll import toll_agreement, tolls_near


@dataclass(frozen=True)
class MatchRule:
    near_days: int = 14
    far_days: int = 1100
    near_threshold: float = 0.14
    far_threshold: float = 0.3
    fresh_far_threshold: float = 0.4
    victim_weight: float = 0.05
    place_weight: float = 0.03
    region_penalty: float = 0.05
    toll_weight: float = 0.05
    merge_threshold: float = 0.6
    same_place_km: float = 10.0
    far_shared_terms: int = 8
    incompatible_below: float = 0.2
    incompatible_same_place_below: float = 0.12
    distant_km: float = 50.0
    distant_below: float = 0.15
    max_open: int = 5000

    def as_dict(self) -> dict:
        return asdict(self)


def day_gap(first: str | None, second: str | None) -> int | None:
    if not first or not second:
        return None
    return abs((date.fromisoformat(first) - date.fromisoformat(second)).days)


def idf_weights(terms: dict[str, int], df: dict[str, int], documents: int) -> dict[str, float]:
    """Unit-length tf-idf vector of a bag of words, idf from the region's open incidents (smoothed: in a region
    with few incidents every term still counts)."""
    vector = {
        term: (1.0 + math.log(count)) * (1.0 + math.log((documents + 1) / (df.get(term, 0) + 1)))
        for term, count in terms.items()
    }
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {term: value / norm for term, value in vector.items()}


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(term, 0.0) for term, value in first.items())


def place_agreement(place: dict | None, locality: dict | None, rule: MatchRule) -> float:
    """+1 the same locality; -1 two different first-level regions; -0.5 two different localities of one
    region; 0 when either side is coarser or unknown."""
    if not place or not locality:
        return 0.0
    region, other_region = _admin1(place), _admin1(locality)
    if region and other_region and region != other_region:
        return -1.0
    if not _is_locality(place) or not _is_locality(locality):
        return 0.0
    if place.get("entity_id") and place.get("entity_id") == locality.get("entity_id"):
        return 1.0
    if None not in (place.get("lat"), place.get("lon"), locality.get("lat"), locality.get("lon")):
        return 1.0 if _km(place, locality) <= rule.same_place_km else -0.5
    return -0.5 if place.get("name") != locality.get("name") else 1.0


def places_apart(place: dict | None, locality: dict | None, rule: MatchRule) -> bool:
    """Two first-level regions, or two points more than `distant_km` apart."""
    if not place or not locality:
        return False
    region, other_region = _admin1(place), _admin1(locality)
    if region and other_region and region != other_region:
        return True
    if None in (place.get("lat"), place.get("lon"), locality.get("lat"), locality.get("lon")):
        return False
    return _km(place, locality) > rule.distant_km


def _admin1(place: dict) -> str | None:
    admin1 = place.get("admin1") or {}
    return admin1.get("code") or admin1.get("name") if isinstance(admin1, dict) else None


def _is_locality(place: dict) -> bool:
    return place.get("precision") in ("locality", None) and bool(place.get("entity_id") or place.get("name"))


def _km(first: dict, second: dict) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (first["lat"], first["lon"], second["lat"], second["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


def may_join_far(report: dict) -> bool:
    """A report may join an incident of days long past when it reads as a follow-up: it tells of the
    aftermath, or it names no day of its own."""
    return bool(report.get("aftermath")) or not report.get("fresh")


def match_score(
    report: dict, vector: dict[str, float], incident: dict, df: dict[str, int], documents: int, rule: MatchRule
) -> float | None:
    """The report's score against one incident of its region, or None when it cannot join it."""
    match = incident["match"]
    gap = day_gap(report["day"], match["day"])
    if gap is not None and gap > rule.far_days:
        return None
    if (gap is None or gap > rule.near_days) and len(vector.keys() & match["terms"].keys()) < rule.far_shared_terms:
        return None
    score = cosine(vector, idf_weights(match["terms"], df, documents))
    shared_victims = len(set(report["victims"]) & set(match["victims"]))
    score += rule.victim_weight * min(shared_victims, 2)
    place = place_agreement(report["place"], match["locality"], rule)
    agreement = toll_agreement(report["toll"], incident["record"]["tolls"])
    near = place > 0 and tolls_near(report["toll"], incident["record"]["tolls"])
    if agreement < 0 and score < (rule.incompatible_same_place_below if near else rule.incompatible_below):
        return None  # another toll and too little text or names in common: another incident
    if score < rule.distant_below and places_apart(report["place"], match["locality"], rule):
        return None  # two places far apart and too little text or names in common: another incident
    score += -rule.region_penalty if place == -1.0 else rule.place_weight * place
    if agreement > 0:
        score += rule.toll_weight
    return score


def joins(score: float, report: dict, incident: dict, rule: MatchRule) -> bool:
    gap = day_gap(report["day"], incident["match"]["day"])
    if gap is not None and gap <= rule.near_days:
        return score >= rule.near_threshold
    return score >= (rule.far_threshold if may_join_far(report) else rule.fresh_far_threshold)


def term_frequencies(state: dict) -> tuple[dict[str, int], int]:
    """How many of the region's open incidents hold each term, and how many incidents there are: the idf of a
    term is derived from the state itself, so nothing beyond the incidents has to be kept or rewritten."""
    df: Counter[str] = Counter()
    live = [incident for incident in state["incidents"].values() if incident["match"]]
    for incident in live:
        df.update(incident["match"]["terms"].keys())
    return df, len(live)


def best_candidates(report: dict, state: dict, rule: MatchRule) -> list[tuple[float, str]]:
    """(score, incident id) of the region's incidents the report could join, best first."""
    df, documents = term_frequencies(state)
    vector = idf_weights(report["terms"], df, documents)
    scored = []
    for incident_id, incident in state["incidents"].items():
        if not incident["match"]:
            continue
        score = match_score(report, vector, incident, df, documents, rule)
        if score is not None and joins(score, report, incident, rule):
            scored.append((score, incident_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored
