"""The open incidents of one region as plain dicts, and what each new report does to them.

Region state (JSON-serialisable; the agent keeps the index and each incident in tables of their own):
    {"region": str,
     "incidents": {incident id: {"record": the published record,
                                 "reports": {article id: the report's match features and event id},
                                 "match": the incident's match features derived from its reports,
                                 "absorbed": {absorbed incident id: version of its merged_into record}}}}

`apply_report` returns an `Applied`: the records to publish, in order, as (incident id, record or None for a
tombstone), the joined or opened incident first, then each absorbed incident's `merged_into` record; and the
incidents whose state changed or went away. Replay safety: an article whose `event_id` is already held changes
nothing; its incident's current record and its absorbed ids' `merged_into` records (same versions) are
returned to be published again, so a crash between the state write and the publication cannot lose a record,
and a consumer keeping the last value per key sees no change. A new version of an article (another `event_id`)
is first taken out of its incident, then matched again, so an article counts once, with its latest content.

Bounded: at most `max_open` incidents of a region stay open; beyond that the oldest by day close (dropped from
the state, the last record staying on the compacted topic). A report never joins an incident more than
`far_days` from its own day, whatever the order the reports come in. A report without a country (region
`unknown`) opens no incident: nothing can be matched against it or counted by place, and on the GVA pages 33
of the 35 such reports belong to incidents reported elsewhere with their place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from streams.incidents.matcher import MatchRule, best_candidates, day_gap
from streams.incidents.record import SCHEMA_VERSION, new_record, publish, refresh, snapshot, source_of
from streams.incidents.report import UNKNOWN_REGION
from streams.incidents.toll import toll_agreement

LITE_KEYS = ("terms", "victims", "place", "day", "figures", "published_at", "event_id", "aftermath")


@dataclass
class Applied:
    """What one report changed: records to publish, incident states to write back, states to drop."""

    publish: list[tuple[str, dict | None]] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)


def new_region_state(region: str) -> dict:
    return {"region": region, "incidents": {}}


def incident_id(region: str, report: dict) -> str:
    """Stable id from the incident's first report: a replay of the same stream gives the same ids."""
    digest = hashlib.blake2b(f"{region}|{report['article_id']}|{report['event_id']}".encode(), digest_size=8)
    return "inc-" + digest.hexdigest()


def holder(state: dict, article_id: str) -> str | None:
    """The open incident holding the article, if any."""
    for key, incident in state["incidents"].items():
        if article_id in incident["reports"]:
            return key
    return None


def apply_report(state: dict, report: dict, rule: MatchRule = MatchRule()) -> Applied:
    """Join the report to an incident of the region or open one; what changed."""
    applied = Applied()
    if report["region"] == UNKNOWN_REGION:
        return applied
    held = holder(state, report["article_id"])
    if held is not None and state["incidents"][held]["reports"][report["article_id"]]["event_id"] == report["event_id"]:
        applied.publish = current_records(state, held)
        return applied
    if held is not None and list(state["incidents"][held]["reports"]) == [report["article_id"]]:
        _replace_sole_report(state, held, report, applied)
    else:
        if held is not None:
            retract_article(state, report["article_id"], applied)
        _match(state, report, rule, applied)
    close_old(state, rule, applied)
    return applied


def current_records(state: dict, key: str) -> list[tuple[str, dict | None]]:
    """The incident's current record and its absorbed ids' merged_into records, as last published."""
    incident = state["incidents"][key]
    stubs = [
        (other, merged_stub(state["region"], other, key, version)) for other, version in incident["absorbed"].items()
    ]
    return [(key, snapshot(incident["record"])), *sorted(stubs)]


def merged_stub(region: str, absorbed: str, keeper: str, version: int) -> dict:
    return {
        "id": absorbed,
        "version": version,
        "region": region,
        "merged_into": keeper,
        "meta": {"schema_version": SCHEMA_VERSION},
    }


def _match(state: dict, report: dict, rule: MatchRule, applied: Applied) -> None:
    candidates = best_candidates(report, state, rule)
    if candidates:
        target = candidates[0][1]
        absorbed = [
            other
            for score, other in candidates[1:]
            if score >= rule.merge_threshold and _mergeable(state, target, other, rule)
        ]
        target, absorbed = _keeper(state, [target, *absorbed])
    else:
        target, absorbed = _open(state, report), []
    _add_report(state, target, report)
    stubs = [_absorb(state, target, other) for other in absorbed]
    applied.publish = [change for change in applied.publish if change[0] != target and change[0] not in absorbed]
    applied.publish.append((target, publish(state["incidents"][target])))
    applied.publish.extend(stubs)
    applied.written.add(target)
    applied.written.difference_update(absorbed)
    applied.dropped.update(absorbed)


def retract_article(state: dict, article_id: str, applied: Applied, keep_empty: bool = False) -> None:
    """Take an article out of its incident (a new version of it arrived): the incident's new record, or a
    tombstone when the article was its only report (unless `keep_empty`, for a report about to replace it)."""
    key = holder(state, article_id)
    if key is None:
        return
    incident = state["incidents"][key]
    incident["reports"].pop(article_id, None)
    incident["record"]["sources"] = [s for s in incident["record"]["sources"] if s["article_id"] != article_id]
    if keep_empty:
        return
    if not incident["reports"]:
        del state["incidents"][key]
        applied.publish.append((key, None))
        applied.publish.extend((other, None) for other in incident["absorbed"])
        applied.dropped.add(key)
        return
    refresh(incident)
    applied.publish.append((key, publish(incident)))
    applied.written.add(key)


def _replace_sole_report(state: dict, target: str, report: dict, applied: Applied) -> None:
    """A new version of an incident's only article stays its report: the incident keeps its id."""
    retract_article(state, report["article_id"], applied, keep_empty=True)
    _add_report(state, target, report)
    applied.publish.append((target, publish(state["incidents"][target])))
    applied.written.add(target)


def close_old(state: dict, rule: MatchRule, applied: Applied) -> None:
    """Drop the oldest incidents (by day) beyond `max_open`; their records stay on the topic. Not by the
    newest report day of the region: an archive fed out of day order (a backfill, a second source years
    behind) would close every incident the newest report outran, and each later report would open another."""
    excess = len(state["incidents"]) - rule.max_open
    if excess <= 0:
        return
    old = sorted(state["incidents"], key=lambda key: (state["incidents"][key]["match"].get("day") or "", key))[:excess]
    for key in old:
        del state["incidents"][key]
    applied.written.difference_update(old)
    applied.dropped.update(old)


def _open(state: dict, report: dict) -> str:
    new_id = incident_id(state["region"], report)
    state["incidents"][new_id] = {
        "record": new_record(new_id, state["region"]),
        "reports": {},
        "match": {},
        "absorbed": {},
    }
    return new_id


def _add_report(state: dict, target: str, report: dict) -> None:
    incident = state["incidents"][target]
    incident["reports"][report["article_id"]] = {key: report.get(key) for key in LITE_KEYS}
    incident["record"]["sources"].append(source_of(report))
    refresh(incident)


def _mergeable(state: dict, target: str, other: str, rule: MatchRule) -> bool:
    first, second = state["incidents"][target], state["incidents"][other]
    gap = day_gap(first["match"]["day"], second["match"]["day"])
    tolls = {k: v for k, v in second["record"]["tolls"].items() if v["reports"]}
    return (gap is None or gap <= rule.near_days) and toll_agreement(tolls, first["record"]["tolls"]) >= 0


def _keeper(state: dict, ids: list[str]) -> tuple[str, list[str]]:
    """The incident that absorbs the others: the first reported (then the smallest id)."""
    ordered = sorted(ids, key=lambda i: (state["incidents"][i]["record"]["first_reported"] or "", i))
    return ordered[0], ordered[1:]


def _absorb(state: dict, keeper: str, other: str) -> tuple[str, dict]:
    """Move `other`'s reports into `keeper`; `other`'s id gets a record naming where it went."""
    target, absorbed = state["incidents"][keeper], state["incidents"].pop(other)
    target["reports"].update(absorbed["reports"])
    target["record"]["sources"].extend(absorbed["record"]["sources"])
    target["record"]["merged_from"] = sorted(
        {*target["record"]["merged_from"], other, *absorbed["record"]["merged_from"]}
    )
    version = absorbed["record"]["version"] + 1
    target["absorbed"].update({**absorbed["absorbed"], other: version})
    refresh(target)
    return other, merged_stub(state["region"], other, keeper, version)
