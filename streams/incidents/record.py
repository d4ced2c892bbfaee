"""An incident's published record, derived from its reports: toll, place, day, sources and match features.

Each source is a `report` (the article tells the incident as news) or a `follow_up` (it tells of the
aftermath: a charge, a trial, a sentence, an anniversary). Follow-ups join the incident and add nothing of
their own to it: an incident known only from follow-ups is not counted (`counted` false, `killed` and
`injured` zero; `tolls` keeps what they said): it is an incident older than the stream whose day is unknown,
and on the GVA pages such incidents were nearly always an earlier incident's trial or charge that failed to join
it. Where the incident has a report, follow-ups restating its toll count as sources of that toll.
"""

from __future__ import annotations

from collections import Counter

from streams.incidents.toll import MAIN_OUTCOMES, combined_tolls, source_order, zero_toll

SCHEMA_VERSION = "1.1.0"
INCIDENT_TERMS = 160  # the incident's most frequent terms kept for matching (twice a report's MAX_TERMS)
_PRECISION_RANK = {"locality": 3, "admin2": 2, "admin1": 1, "country": 0}


def new_record(new_id: str, region: str) -> dict:
    return {
        "id": new_id,
        "version": 0,
        "region": region,
        "place": None,
        "day": None,
        "first_reported": None,
        "last_reported": None,
        "counted": False,
        "killed": zero_toll(),
        "injured": zero_toll(),
        "tolls": {},
        "sources": [],
        "articles": [],
        "figures": [],
        "victims": [],
        "merged_into": None,
        "merged_from": [],
        "meta": {"schema_version": SCHEMA_VERSION},
    }


def source_of(report: dict) -> dict:
    """What one report said, for the record's `sources`."""
    return {
        "article_id": report["article_id"],
        "event_id": report["event_id"],
        "published_at": report["published_at"],
        "title": report["title"],
        "source": report["source"],
        "url": report["url"],
        "day": report["day"],
        "said": report["toll"],
        "evidence": report["evidence"],
        "role": "follow_up" if report.get("aftermath") else "report",
        "superseded": [],
    }


def refresh(incident: dict) -> None:
    """Derive the record's toll, place, day and lists, and the match features, from the incident's reports."""
    record, reports = incident["record"], incident["reports"]
    record["sources"].sort(key=source_order)
    tolls = combined_tolls(record["sources"])
    record["tolls"] = tolls
    record["counted"] = any(source["role"] == "report" for source in record["sources"])
    for outcome in MAIN_OUTCOMES:
        toll = tolls.get(outcome) if record["counted"] else None
        record[outcome] = dict(toll) if toll else zero_toll()
    ordered = [reports[s["article_id"]] for s in record["sources"] if s["article_id"] in reports]
    record["articles"] = [s["article_id"] for s in record["sources"]]
    record["figures"] = sorted({f for lite in ordered for f in lite["figures"]})
    record["victims"] = sorted({v for lite in ordered for v in lite["victims"]})
    record["place"] = consensus_place([lite["place"] for lite in ordered])
    record["day"] = consensus_day(
        [lite["day"] for lite in ordered if not lite.get("aftermath")] or [lite["day"] for lite in ordered]
    )
    published = [lite["published_at"] for lite in ordered if lite["published_at"]]
    record["first_reported"] = min(published, default=None)
    record["last_reported"] = max(published, default=None)
    terms: Counter[str] = Counter()
    for lite in ordered:
        terms.update(lite["terms"])
    incident["match"] = {
        "day": record["day"],
        "victims": record["victims"],
        "locality": record["place"],
        "terms": dict(sorted(terms.items(), key=lambda item: (-item[1], item[0]))[:INCIDENT_TERMS]),
    }


def consensus_place(places: list[dict | None]) -> dict | None:
    """The place most reports give, the finer first on a tie, then the earliest."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, dict]] = {}
    for order, place in enumerate(places):
        if place:
            key = str(place.get("entity_id") or place.get("name"))
            counts[key] += 1
            first.setdefault(key, (order, place))
    if not counts:
        return None
    best = max(
        counts,
        key=lambda key: (counts[key], _PRECISION_RANK.get(first[key][1].get("precision") or "", 3), -first[key][0]),
    )
    return first[best][1]


def consensus_day(days: list[str | None]) -> str | None:
    """The day most reports give, the earliest on a tie (a follow-up's later day rarely outnumbers them)."""
    counts = Counter(day for day in days if day)
    return max(counts, key=lambda day: (counts[day], [-ord(c) for c in day])) if counts else None


def publish(incident: dict) -> dict:
    """The incident's next version, as published."""
    incident["record"]["version"] += 1
    return snapshot(incident["record"])


def snapshot(record: dict) -> dict:
    """A copy of a record, so later changes to the state do not alter what was published."""
    return {**record, "sources": [dict(source) for source in record.get("sources", [])]}
