"""The incidents of one region as plain dicts, and what each new report does to them.

Region state (the value of a table keyed by region, JSON-serialisable):
    {"region": str, "reports": int, "df": {term: reports holding it},
     "incidents": {incident id: {"record": the published record, "reports": {article id: the report's match
                   features}, "match": the incident's match features derived from its reports}},
     "articles": {article id: {"incident": incident id, "event_id": str}}}

`apply_report` returns the changes to publish, in order, as (incident id, record or None for a tombstone): the
joined or opened incident, then each absorbed incident's `merged_into` record. Replay safety: an article id
whose `event_id` is already held changes nothing; its incident's current record (same version) is returned to be
published again, so a crash between the state write and the publication cannot lose the record, and a consumer
keeping the last value per key sees no change. A new version of an article (another
`event_id`) is first taken out of its incident, then matched again, so an article counts once, with its latest
content.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from streams.incidents.matcher import MatchRule, best_candidates, day_gap
from streams.incidents.report import MAX_TERMS
from streams.incidents.toll import MAIN_OUTCOMES, combined_tolls, source_order, toll_agreement, zero_toll

SCHEMA_VERSION = "1.0.0"
INCIDENT_TERMS = 2 * MAX_TERMS
_PRECISION_RANK = {"locality": 3, "admin2": 2, "admin1": 1, "country": 0}


def new_region_state(region: str) -> dict:
    return {"region": region, "reports": 0, "df": {}, "incidents": {}, "articles": {}}


def incident_id(region: str, report: dict) -> str:
    """Stable id from the incident's first report: a replay of the same stream gives the same ids."""
    digest = hashlib.blake2b(f"{region}|{report['article_id']}|{report['event_id']}".encode(), digest_size=8)
    return "inc-" + digest.hexdigest()


def apply_report(state: dict, report: dict, rule: MatchRule = MatchRule()) -> list[tuple[str, dict | None]]:
    """Join the report to an incident of the region or open one; the changes to publish."""
    held = state["articles"].get(report["article_id"])
    if held is not None and held["event_id"] == report["event_id"]:
        incident = state["incidents"][held["incident"]]
        return [(held["incident"], _snapshot(incident["record"]))]
    if held is not None and list(state["incidents"][held["incident"]]["reports"]) == [report["article_id"]]:
        return _replace_sole_report(state, held["incident"], report)
    changes = retract_article(state, report["article_id"]) if held is not None else []
    candidates = best_candidates(report, state, rule)
    if candidates:
        target = candidates[0][1]
        absorbed = [
            other
            for score, other in candidates[1:]
            if score >= rule.merge_threshold and _mergeable(state, target, other)
        ]
        target, absorbed = _keeper(state, [target, *absorbed])
    else:
        target, absorbed = _open(state, report), []
    _add_report(state, target, report)
    for other in absorbed:
        _absorb(state, target, other)
    changes = [change for change in changes if change[0] != target and change[0] not in absorbed]
    changes.append((target, _publish(state["incidents"][target])))
    changes.extend((other, _publish(state["incidents"][other])) for other in absorbed)
    _count_terms(state, report["terms"], +1)
    return changes


def retract_article(state: dict, article_id: str, keep_empty: bool = False) -> list[tuple[str, dict | None]]:
    """Take an article out of its incident (a new version of it arrived): the incident's new record, or a
    tombstone when the article was its only report (unless `keep_empty`, for a report about to replace it)."""
    held = state["articles"].pop(article_id, None)
    if held is None or held["incident"] not in state["incidents"]:
        return []
    incident = state["incidents"][held["incident"]]
    lite = incident["reports"].pop(article_id, None)
    if lite is not None:
        _count_terms(state, lite["terms"], -1)
    incident["record"]["sources"] = [s for s in incident["record"]["sources"] if s["article_id"] != article_id]
    if keep_empty:
        return []
    if not incident["reports"]:
        del state["incidents"][held["incident"]]
        return [(held["incident"], None)]
    _refresh(incident)
    return [(held["incident"], _publish(incident))]


def _replace_sole_report(state: dict, target: str, report: dict) -> list[tuple[str, dict | None]]:
    """A new version of an incident's only article stays its report: the incident keeps its id."""
    retract_article(state, report["article_id"], keep_empty=True)
    _add_report(state, target, report)
    _count_terms(state, report["terms"], +1)
    return [(target, _publish(state["incidents"][target]))]


def _open(state: dict, report: dict) -> str:
    new_id = incident_id(state["region"], report)
    record = {
        "id": new_id,
        "version": 0,
        "region": state["region"],
        "place": None,
        "day": None,
        "first_reported": None,
        "last_reported": None,
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
    state["incidents"][new_id] = {"record": record, "reports": {}, "match": {}}
    return new_id


def _add_report(state: dict, target: str, report: dict) -> None:
    incident = state["incidents"][target]
    incident["reports"][report["article_id"]] = {
        key: report[key] for key in ("terms", "victims", "place", "day", "figures", "published_at")
    }
    incident["record"]["sources"].append(_source(report))
    state["articles"][report["article_id"]] = {"incident": target, "event_id": report["event_id"]}
    _refresh(incident)


def _source(report: dict) -> dict:
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
        "role": "report" if report["toll"] else "follow_up",
        "superseded": [],
    }


def _refresh(incident: dict) -> None:
    """Derive the record's toll, place, day and lists, and the match features, from the incident's reports."""
    record, reports = incident["record"], incident["reports"]
    record["sources"].sort(key=source_order)
    tolls = combined_tolls(record["sources"])
    record["tolls"] = tolls
    for outcome in MAIN_OUTCOMES:
        record[outcome] = {key: value for key, value in tolls.get(outcome, zero_toll()).items()}
    ordered = [reports[s["article_id"]] for s in record["sources"] if s["article_id"] in reports]
    record["articles"] = [s["article_id"] for s in record["sources"]]
    record["figures"] = sorted({f for lite in ordered for f in lite["figures"]})
    record["victims"] = sorted({v for lite in ordered for v in lite["victims"]})
    record["place"] = _consensus_place([lite["place"] for lite in ordered])
    record["day"] = _consensus_day([lite["day"] for lite in ordered])
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


def _consensus_place(places: list[dict | None]) -> dict | None:
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


def _consensus_day(days: list[str | None]) -> str | None:
    """The day most reports give, the earliest on a tie (a follow-up's later day rarely outnumbers them)."""
    counts = Counter(day for day in days if day)
    return max(counts, key=lambda day: (counts[day], [-ord(c) for c in day])) if counts else None


def _mergeable(state: dict, target: str, other: str) -> bool:
    first, second = state["incidents"][target], state["incidents"][other]
    gap = day_gap(first["match"]["day"], second["match"]["day"])
    tolls = {k: v for k, v in second["record"]["tolls"].items() if v["reports"]}
    return (gap is None or gap <= 7) and toll_agreement(tolls, first["record"]["tolls"]) >= 0


def _keeper(state: dict, ids: list[str]) -> tuple[str, list[str]]:
    """The incident that absorbs the others: the first reported (then the smallest id)."""
    ordered = sorted(ids, key=lambda i: (state["incidents"][i]["record"]["first_reported"] or "", i))
    return ordered[0], ordered[1:]


def _absorb(state: dict, keeper: str, other: str) -> None:
    """Move `other`'s reports into `keeper`; `other` keeps only a record naming where it went."""
    target, absorbed = state["incidents"][keeper], state["incidents"].pop(other)
    target["reports"].update(absorbed["reports"])
    target["record"]["sources"].extend(absorbed["record"]["sources"])
    target["record"]["merged_from"] = sorted(
        {*target["record"]["merged_from"], other, *absorbed["record"]["merged_from"]}
    )
    for article_id in absorbed["reports"]:
        state["articles"][article_id]["incident"] = keeper
    _refresh(target)
    state["incidents"][other] = {
        "record": {
            "id": other,
            "version": absorbed["record"]["version"],
            "region": state["region"],
            "merged_into": keeper,
            "meta": {"schema_version": SCHEMA_VERSION},
        },
        "reports": {},
        "match": {},
    }


def _publish(incident: dict) -> dict:
    """The incident's next version, as published."""
    incident["record"]["version"] += 1
    return _snapshot(incident["record"])


def _snapshot(record: dict) -> dict:
    """A copy of a record, so later changes to the state do not alter what was published."""
    return {**record, "sources": [dict(source) for source in record.get("sources", [])]}


def _count_terms(state: dict, terms: dict[str, int], sign: int) -> None:
    df = state["df"]
    for term in terms:
        count = df.get(term, 0) + sign
        if count > 0:
            df[term] = count
        else:
            df.pop(term, None)
    state["reports"] = max(0, state["reports"] + sign)
