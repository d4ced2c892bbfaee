"""The worker's read-only HTTP API, health, metrics and dashboard, on faust's web server.

The server listens on `worker.web_host` only. Every endpoint answers GET, and HEAD as GET without the body (the
same status and headers, as HTTP asks of a server); other methods get 405.

- `/api/casualties?by=place|admin1|country&window=1d|24h|7d[&outcome=killed]`: totals counted by incident where
  the worker follows the incidents (streams.incidents.totals: each incident once, with its `killed.min` /
  `injured.min`; the answer says `"counts": "incidents"`); `count=figures` gives the figure rollup rows instead
  (streams.rollups, by place or country only), as does a worker without the incident view.
- `/api/entities/top?label=ORG[,PERSON,...]&window=1d|24h|7d[&limit=10][&day=YYYY-MM-DD]`: most mentioned
  actors or places; for `1d`, the given day or else the latest day with mentions.
- `/api/figures/latest?limit=20`: newest figures with their evidence sentence and source.
- `/api/articles/{id}`: the latest enriched event of an article, without its body; routed to the worker that
  holds the article's partition.
- `/api/incidents?country=CC&admin1=NAME|CODE&from=YYYY-MM-DD&to=YYYY-MM-DD&limit=100`: the live incidents with a
  toll (streams.incidents), newest incident day first, and their totals; read from every partition of the
  compacted `incidents` topic, so the answer covers the whole stream on every worker. `outcome=killed|...` keeps
  incidents with that toll, `reported=24h|7d` those with a report published in that time; `days` (killed,
  injured, incidents per incident day and country) and `facets` (countries, admin1, outcomes, ignoring the
  place filters) cover every selected incident, not only the `limit` listed.
- `/api/pipeline`: counters and lag for the dashboard's health panel, and readiness.
- `/health`: 200 when ready (partitions assigned, tables recovered, no rebalance running, model loaded), else 503.
- `/metrics`: Prometheus text format.
- `/dashboard`: the static dashboard (streams/web/dashboard/), which polls the endpoints above.

Aggregates cover the partitions this worker holds; every answer says which (`scope`). A worker of role `enrich`
keeps no rollups and serves only `/api/pipeline`, `/health` and `/metrics`; the API and dashboard are then on the
`rollups` workers.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import faust
from faust.web import Request, Response, View

from streams import metrics
from streams.incidents.totals import SCOPES as INCIDENT_SCOPES
from streams.incidents.totals import incident_rows
from streams.incidents.view import IncidentFollower
from streams.rollups import (
    ACTOR_LABELS,
    DAY,
    PLACE_LABELS,
    WINDOWS,
    Rollups,
    newest_figures,
    top_entities,
    windowed_rows,
)

DASHBOARD_DIR = Path(__file__).with_name("dashboard")
SCOPES = ("place", "country")
LABELS = ACTOR_LABELS + PLACE_LABELS
MAX_LIMIT = 200
REPORTED_WITHIN = {"24h": DAY, "7d": 7 * DAY}
# faust's own topics among a worker's assignments: the leader topic of its assignor and table changelogs
INTERNAL_TOPIC_SUFFIXES = ("-__assignor-__leader", "-changelog", "-repartition")
# The dashboard loads only its own files and talks only to this server.
DASHBOARD_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class BadRequest(ValueError):
    """A query parameter is missing or invalid; the message says which and what is allowed."""


def choice(request: Request, name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = request.query.get(name, default)
    if value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
    return value


def iso_day_param(request: Request, name: str) -> str | None:
    """An optional `YYYY-MM-DD` query parameter; anything else is a 400."""
    value = request.query.get(name) or None
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None
    return value


def bounded_int(request: Request, name: str, default: int) -> int:
    try:
        value = int(request.query.get(name, default))
    except ValueError:
        raise BadRequest(f"{name} must be an integer") from None
    if not 1 <= value <= MAX_LIMIT:
        raise BadRequest(f"{name} must be between 1 and {MAX_LIMIT}")
    return value


def tables_recovered(app: faust.App) -> bool:
    """Table recovery done. `app.tables.recovery` is on faust's `TableManager`, not on its `TableManagerT`
    interface."""
    tables: Any = app.tables
    return bool(tables.recovery.completed.is_set() and not app.in_recovery)


def readiness(app: faust.App, model_loaded: Callable[[], bool]) -> dict[str, bool]:
    checks = {
        "model_loaded": model_loaded(),
        "assigned": bool(app.consumer.assignment()),
        "recovered": tables_recovered(app),
        "not_rebalancing": not app.rebalancing,
    }
    return {"ready": all(checks.values()), **checks}


def scope(app: faust.App) -> dict[str, Any]:
    """Which partitions this worker's answers cover."""
    partitions: dict[str, list[int]] = {}
    for tp in sorted(app.assignor.assigned_actives()):
        if not tp.topic.endswith(("-changelog", "__leader")):
            partitions.setdefault(tp.topic, []).append(tp.partition)
    return {"worker": str(app.conf.canonical_url), "partitions": partitions}


class JsonView(View):
    """A GET view answering JSON, with a 400 for bad parameters."""

    async def get(self, request: Request, **match: str) -> Response:
        try:
            return self.json(await self.answer(request, **match))
        except BadRequest as exc:
            return self.json({"error": str(exc)}, status=400)

    async def answer(self, request: Request, **match: str) -> Any:
        raise NotImplementedError


def register(
    app: faust.App,
    rollups: Rollups | None,
    model_loaded: Callable[[], bool],
    incidents: IncidentFollower | None = None,
) -> None:
    """Add the views to the app's web server: health, metrics and pipeline counters always, the rollup API and
    the dashboard where this worker keeps the rollups, the incidents where it follows them."""

    @app.page("/api/pipeline")
    class Pipeline(JsonView):
        async def answer(self, request: Request, **match: str) -> Any:
            snapshot = metrics.snapshot()
            snapshot["consumer_lag"] = pipeline_topics(snapshot["consumer_lag"])
            return {
                "readiness": readiness(app, model_loaded),
                "scope": scope(app),
                "time": time.time(),
                **snapshot,
            }

    @app.page("/health")
    class Health(View):
        async def get(self, request: Request) -> Response:
            state = readiness(app, model_loaded)
            return self.json(state, status=200 if state["ready"] else 503)

    @app.page("/metrics")
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            body, content_type = metrics.exposition()
            return self.bytes(body, headers={"Content-Type": content_type})

    if rollups is not None:
        register_rollup_views(app, rollups, incidents)
    if incidents is not None:
        register_incident_views(app, incidents)


def register_incident_views(app: faust.App, incidents: IncidentFollower) -> None:
    """`/api/incidents`: the live incidents of the whole stream (every partition of the `incidents` topic)."""

    @app.page("/api/incidents")
    class Incidents(JsonView):
        async def answer(self, request: Request, **match: str) -> Any:
            filters: dict[str, Any] = {
                "country": request.query.get("country") or None,
                "admin1": request.query.get("admin1") or None,
                "day_from": iso_day_param(request, "from"),
                "day_to": iso_day_param(request, "to"),
            }
            limit = bounded_int(request, "limit", 100)
            outcome = request.query.get("outcome") or None
            reported = request.query.get("reported") or None
            if reported is not None and reported not in REPORTED_WITHIN:
                raise BadRequest(f"reported must be one of {', '.join(REPORTED_WITHIN)}")
            since = time.time() - REPORTED_WITHIN[reported] if reported else None
            chosen = select_incidents(incidents.view.query(limit=10**9, **filters), outcome, since)
            days = {"day_from": filters["day_from"], "day_to": filters["day_to"]}
            around = select_incidents(incidents.view.query(limit=10**9, **days), outcome, since)
            return {
                "filters": {**filters, "outcome": outcome, "reported": reported, "limit": limit},
                "following": incidents.running,
                "totals": incident_totals(chosen),
                "incidents": chosen[:limit],
                "days": incident_days(chosen),
                "facets": incident_facets(around),
            }


def pipeline_topics(per_topic: dict[str, float]) -> dict[str, float]:
    """The pipeline's own topics only: faust's internal ones are no stage a reader can act on."""
    return {topic: value for topic, value in per_topic.items() if not topic.endswith(INTERNAL_TOPIC_SUFFIXES)}


def published_epoch(value: str | None) -> float | None:
    """An ISO time or day (a day, or a time without zone, read as UTC) as seconds since the epoch."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def select_incidents(records: list[dict], outcome: str | None, since: float | None) -> list[dict]:
    """Incidents with a toll of `outcome` (any, when None) and, with `since`, a report published after it."""
    return [
        record
        for record in records
        if (not outcome or ((record.get("tolls") or {}).get(outcome) or {}).get("min"))
        and (since is None or (published_epoch(record.get("last_reported")) or 0) >= since)
    ]


def incident_country(record: dict) -> str | None:
    place = record.get("place") or {}
    region = str(record.get("region") or "").split("/")[0]
    return place.get("country") or (region if region and region != "unknown" else None)


def incident_totals(records: list[dict]) -> dict[str, int]:
    """The totals add each incident's lower bound (`min`), as streams.incidents.toll says."""
    return {
        "incidents": len(records),
        "killed": sum(record["killed"]["min"] for record in records),
        "injured": sum(record["injured"]["min"] for record in records),
    }


def incident_days(records: list[dict]) -> list[dict]:
    """Killed, injured and incidents per (incident day, country), by day; incidents with no day left out."""
    cells: dict[tuple[str, str | None], dict] = {}
    for record in records:
        if record.get("day"):
            country = incident_country(record)
            cell = cells.setdefault(
                (record["day"], country),
                {"day": record["day"], "country": country, "incidents": 0, "killed": 0, "injured": 0},
            )
            cell["incidents"] += 1
            cell["killed"] += record["killed"]["min"]
            cell["injured"] += record["injured"]["min"]
    return [cells[key] for key in sorted(cells, key=lambda key: (key[0], key[1] or ""))]


def incident_facets(records: list[dict]) -> dict[str, dict]:
    """How many incidents per country, per admin1 of each country and per outcome: the filters' choices."""
    countries: Counter[str] = Counter()
    admin1: dict[str, Counter[str]] = {}
    outcomes: Counter[str] = Counter()
    for record in records:
        country = incident_country(record) or ""
        countries[country] += 1
        region = (record.get("place") or {}).get("admin1") or {}
        if name := region.get("name") or region.get("code"):
            admin1.setdefault(country, Counter())[name] += 1
        outcomes.update(outcome for outcome, toll in (record.get("tolls") or {}).items() if toll.get("min"))
    return {
        "countries": dict(countries),
        "admin1": {country: dict(names) for country, names in admin1.items()},
        "outcomes": dict(outcomes),
    }


def register_rollup_views(app: faust.App, rollups: Rollups, incidents: IncidentFollower | None = None) -> None:
    """The rollup API and the dashboard that reads it."""
    register_total_views(app, rollups, incidents)
    register_record_views(app, rollups)

    @app.page("/dashboard")
    class Dashboard(View):
        async def get(self, request: Request) -> Response:
            return self.html((DASHBOARD_DIR / "index.html").read_text(encoding="utf-8"), headers=DASHBOARD_HEADERS)

    app.web.add_static("/dashboard/static/", DASHBOARD_DIR)


def register_total_views(app: faust.App, rollups: Rollups, incidents: IncidentFollower | None = None) -> None:
    """The windowed totals: casualties by incident (or by figure), entity mentions."""

    @app.page("/api/casualties")
    class Casualties(JsonView):
        async def answer(self, request: Request, **match: str) -> Any:
            counts = choice(request, "count", ("incidents", "figures"), "incidents" if incidents else "figures")
            if counts == "incidents" and incidents is None:
                raise BadRequest("count=incidents needs a worker that follows the incidents topic")
            by = choice(request, "by", INCIDENT_SCOPES if counts == "incidents" else SCOPES, "place")
            window = choice(request, "window", tuple(WINDOWS), "24h")
            outcome = request.query.get("outcome") or None
            now = time.time()
            answer: dict[str, Any] = {"by": by, "window": window, "outcome": outcome, "counts": counts}
            if incidents is not None and counts == "incidents":
                # every partition of the incidents topic: the whole stream, whichever partitions this worker owns
                records = incidents.view.records()
                return {
                    **answer,
                    "following": incidents.running,
                    "rows": incident_rows(records, by, WINDOWS[window], now, outcome),
                }
            items = rollups.casualty_items(by, window, now)
            return {**answer, "scope": scope(app), "rows": windowed_rows(items, WINDOWS[window], now, outcome)}

    @app.page("/api/entities/top")
    class TopEntities(JsonView):
        async def answer(self, request: Request, **match: str) -> Any:
            labels = tuple(request.query.get("label", "ORG").split(","))
            if not set(labels) <= set(LABELS):
                raise BadRequest(f"label must be one or more of {', '.join(LABELS)}, comma-separated")
            window = choice(request, "window", tuple(WINDOWS), "7d")
            limit = bounded_int(request, "limit", 10)
            now = time.time()
            rows = windowed_rows(rollups.mention_items(window, now), WINDOWS[window], now)
            day = None
            if WINDOWS[window].clock == "incident":
                days = sorted({row["day"] for row in rows if row.get("label") in labels})
                day = request.query.get("day") or (days[-1] if days else None)
                rows = [row for row in rows if row["day"] == day]
            return {
                "labels": labels,
                "window": window,
                "day": day,
                "scope": scope(app),
                "rows": top_entities(rows, labels, limit),
            }


def register_record_views(app: faust.App, rollups: Rollups) -> None:
    """The stored records: the latest figures, an article by id (routed to the worker that holds it)."""

    @app.page("/api/figures/latest")
    class LatestFigures(JsonView):
        async def answer(self, request: Request, **match: str) -> Any:
            limit = bounded_int(request, "limit", 20)
            return {"scope": scope(app), "rows": newest_figures(rollups.latest_figures.values(), limit)}

    @app.page("/api/articles/{article_id}")
    class Article(View):
        # faust types the handler as taking any View; this one is the Article view's own method.
        @app.table_route(table=rollups.articles, match_info="article_id")  # type: ignore[arg-type]
        async def get(self, request: Request, article_id: str) -> Response:
            record = rollups.articles.get(article_id)
            if record is None:
                return self.json({"error": f"no article {article_id!r} on this worker's partitions"}, status=404)
            return self.json(record)
