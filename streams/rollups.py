"""Live rollups: casualty totals by place and country, entity mentions, latest figures and articles.

How an incident is counted once
-------------------------------
A casualty figure enters the totals only when the extractor marks it `in_incident_total` (the figures that make
up the article's own `summary.killed` / `summary.injured`); cumulative tallies such as "603 civilians killed
since 2014" are kept in the latest-figures list and on the `casualties` topic, but never summed, since adding
tallies of different periods and sources means nothing.

Figures are deduplicated across articles by the key `(place, day, outcome, count)`:
- place: the figure's place key on the `casualties` topic (its first linked place, else `country:XX`). A figure
  with no place at all cannot be matched with another article's, so its key carries the article id instead and
  it is counted once per article.
- day: the incident day, i.e. the figure's own `date` when the extractor resolved one ("on Monday" in an article
  of Tuesday), else the day of the article's `published_at`, else the day the pipeline processed it. Using the
  incident day rather than only the publication day lets a follow-up published the next day match the first
  report whenever the date is stated.
- outcome: killed, injured, ...
- count: the lower bound `count.min`, so "29 killed" and "at least 29 killed" are the same report.

The durable state is one faust table, `incidents` (RocksDB, changelog-backed): dedup key -> a compact incident
record (place key and name, country, outcome, `count.min`, victim type, incident day, report time = the Kafka
timestamp of the earliest `casualties` record that brought it, and the id of the figure that represents it).
Each `casualties` record causes at most one table assignment, of one key, and the write is idempotent: the new
value is the stored record joined with the report (`join_incidents`: the attributes of the report with the
smallest figure id, the earliest report time), a function of the set of reports seen, so a replay (delivery is
at-least-once) writes the same key with the same value or nothing, and a later report of a counted incident is a
duplicate that never adds to the totals. That makes the totals exact under any crash point: either the incident's
changelog message reached Kafka, and a replay finds the key, or it did not, and then the record's offset was not
committed either (faust flushes the producer before committing offsets), so the replay writes it. The smallest
figure id, rather than the first report, picks the victim type and place name because reports of one incident
from articles in different `articles.raw` partitions arrive in an order that depends on timing and crashes.
The design this replaces wrote a seen key to one table and the figure into several windowed total tables: a
crash between those changelog messages lost the figure (seen key kept, totals not) or doubled it (the reverse).
Totals are sums of `count.min`, i.e. lower bounds.

Windows
-------
Windows are derived, not stored. Each worker keeps in memory the sums of the incidents in its active partitions
of `incidents`, per row (place or country) and window bucket, rebuilt from the local table whenever recovery after
a rebalance completes (a table `on_recover` callback; lazily on the next query if a rebalance came in between) and
updated by each table write that changes a value: a new key adds its record, a changed record moves its
contribution (old one out, new one in), a write of an unchanged value changes nothing. The sums are commutative,
so the same records in any order, or applied again by a rebuild, give the same answer. Memory grows with panes
and rows, not with incidents. Bucketing uses faust's own window classes, so the windows mean what faust's windowed
tables mean:
- `1d`: tumbling days (`faust.TumblingWindow(1 day)`) by incident day (the dedup day above): one row per key and
  day, the per-day time series, kept indefinitely.
- `24h`, `7d`: hopping windows by report time, `faust.HoppingWindow(24 h, step 1 h)` and `(7 days, step 1 day)`:
  what was reported in the last day or week, whatever the incident dates. Sums are kept per pane of one step
  (`faust.TumblingWindow(step)`); the answer is the window `HoppingWindow.earliest(now)` names, the oldest window
  still containing now, i.e. the sum of the last 24 hourly or 7 daily panes up to the current one. Panes older
  than the window's expiry (2 and 8 days) are dropped.
A place row shows the name and country of its incident with the smallest dedup key.
Entity mentions are derived the same way from the `articles` table (article id -> bounded record, written once
per enriched event; it keeps the actors and places the article mentions, its publication day and its report
time): the number of articles (latest version of each) that mention an entity, with the publication day for
`1d` and the report time of the article version for `24h`/`7d` (a replay of the same version, same
`meta.event_id`, keeps the stored record; a new version replaces it and moves its counts).

Partitioning
------------
Every table is written only by an agent whose input topic is keyed like the table, with concurrency 1 (faust
#606), each write under the input record's event so its changelog message goes to that record's partition:
`incidents` and `latest-figures` from the `casualties` topic (keyed by place; the dedup key begins with the place,
so an incident and all its reports live in one partition), `articles` from `articles.enriched` (keyed by article
id). There are no repartition or forwarding topics: country totals derive from the same incidents (each carries
its country) and mention counts from the articles. With several workers each holds only its partitions:
`/api/articles/{id}` is routed to the owner of the key (`app.table_route`); the aggregate endpoints answer for the
partitions of the worker asked (they say which), so run one worker for a complete picture or add up the answers
of all workers (a country's or an entity's rows are then spread over them).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator, NamedTuple

import faust

from streams import metrics
from streams.config import Settings
from streams.kafka.tables import keyed_table

HOUR = 3600.0
DAY = 24 * HOUR
ACTOR_LABELS = ("ORG", "PERSON", "NORP")
PLACE_LABELS = ("GPE", "LOC", "FAC")
UNKNOWN = "unknown"
SCOPES = ("place", "country")
ENTITIES = "entities"
LATEST_FIGURES_PER_PLACE = 5
ARTICLE_MAX_FIGURES = 50
ARTICLE_MAX_ENTITIES = 50
ARTICLE_MAX_MENTIONS = 500
# The names under which a row's label fields are shown, by group (scope of casualty rows, or entity rows).
LABEL_FIELDS = {"place": ("name", "country"), "country": ("name", "country"),
                ENTITIES: ("label", "id", "canonical", "country")}


@dataclass(frozen=True)
class WindowSpec:
    """One API window: `clock` says which time places an event in it ("incident" day or "report" time)."""

    name: str
    size: float
    step: float
    expires: float | None
    clock: str

    def faust_window(self) -> faust.HoppingWindow:
        return faust.HoppingWindow(self.size, self.step, expires=self.expires)

    def current_start(self, now: float) -> float:
        """Start of the full window that ends in the current step: "the last 24 hours" as of `now`."""
        return self.faust_window().earliest(now)[0]

    def bucket(self, timestamp: float) -> float:
        """Start of the pane of one step holding `timestamp` (for `1d`, the day itself)."""
        return faust.TumblingWindow(self.step).current(timestamp)[0]

    def window_buckets(self, now: float) -> tuple[float, float]:
        """[first, last] pane start of the window answered at `now`: the panes whose records faust's
        `HoppingWindow.ranges()` puts in the window starting at `current_start(now)`."""
        start = self.current_start(now)
        return start, start + self.size - self.step

    def stale(self, bucket: float, now: float) -> bool:
        """A pane too old to be in any window still answered (faust's expiry rule)."""
        return self.faust_window().stale(bucket, now)


WINDOWS: dict[str, WindowSpec] = {
    "1d": WindowSpec("1d", DAY, DAY, None, "incident"),
    "24h": WindowSpec("24h", DAY, HOUR, 2 * DAY, "report"),
    "7d": WindowSpec("7d", 7 * DAY, DAY, 8 * DAY, "report"),
}


# ---- pure functions ------------------------------------------------------------------------------------------

def iso_day(value: Any) -> str | None:
    """The YYYY-MM-DD day of an ISO date or datetime string, or None when it is not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def day_timestamp(day: str) -> float:
    """Seconds since the epoch of midnight UTC starting `day`."""
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()


def incident_day(figure_event: dict) -> str:
    """The day an incident is filed under: the figure's date, else the article's, else when it was processed."""
    figure, article = figure_event.get("figure") or {}, figure_event.get("article") or {}
    return (iso_day(figure.get("date")) or iso_day(article.get("published_at"))
            or iso_day((figure_event.get("meta") or {}).get("processed_at"))
            or datetime.now(timezone.utc).date().isoformat())


def counts_toward_totals(figure_event: dict) -> bool:
    figure = figure_event.get("figure") or {}
    return bool(figure.get("in_incident_total")) and isinstance((figure.get("count") or {}).get("min"), int)


def dedup_key(figure_event: dict) -> str:
    """`place|day|outcome|count.min`; a figure without a place is matched only within its own article."""
    figure = figure_event["figure"]
    place = figure_event.get("place_key") or UNKNOWN
    if place == UNKNOWN:
        place = f"{UNKNOWN}/{figure_event.get('article_id')}"
    return "|".join((place, incident_day(figure_event), figure.get("outcome") or UNKNOWN,
                     str(figure["count"]["min"])))


def country_of(figure_event: dict) -> str:
    return figure_event.get("country") or UNKNOWN


def row_key(figure_event: dict, scope: str) -> str:
    """The rollup row a figure belongs to: its place key, or its country."""
    return (figure_event.get("place_key") or UNKNOWN) if scope == "place" else country_of(figure_event)


def place_name(figure_event: dict) -> str:
    """Human name of the figure's place key, from the location it was derived from."""
    key = figure_event.get("place_key") or UNKNOWN
    for location in (figure_event.get("figure") or {}).get("locations") or []:
        if location.get("entity_id") == key:
            return location.get("canonical") or location.get("text") or key
    return key


def contribution(figure_event: dict, scope: str) -> dict:
    """What one counted figure adds to a rollup row of `scope` ("place" or "country")."""
    figure = figure_event["figure"]
    total = figure["count"]["min"]
    name = place_name(figure_event) if scope == "place" else country_of(figure_event)
    return {"name": name, "country": figure_event.get("country"),
            "outcomes": {figure.get("outcome") or UNKNOWN: {
                "total": total, "incidents": 1,
                "victim_types": {figure.get("victim_type") or UNKNOWN: total}}}}


def merge(current: Any, delta: Any) -> Any:
    """Add `delta` into `current`: numbers add up, dicts merge key by key, anything else keeps the first value."""
    if current is None:
        return delta
    if isinstance(current, dict) and isinstance(delta, dict):
        merged = dict(current)
        for key, value in delta.items():
            merged[key] = merge(current.get(key), value)
        return merged
    if isinstance(current, (int, float)) and isinstance(delta, (int, float)):
        return current + delta
    return current


def rollup(figure_events: Iterable[dict], scope: str) -> dict[str, dict]:
    """Totals per place or country of a collection of figure events, each incident once: the reference the
    tables must agree with (used by the tests against the `casualties` topic). Independent of order: an incident
    is represented by its report with the smallest figure id, a row is named after its smallest incident key."""
    representative: dict[str, dict] = {}
    for event in figure_events:
        if counts_toward_totals(event):
            key = dedup_key(event)
            if key not in representative or _figure_id(event) < _figure_id(representative[key]):
                representative[key] = event
    totals: dict[str, dict] = {}
    for key in sorted(representative):
        event = representative[key]
        row = row_key(event, scope)
        totals[row] = merge(totals.get(row), contribution(event, scope))
    return totals


def _figure_id(figure_event: dict) -> str:
    return str(figure_event.get("event_id") or "")


def select_outcome(row: dict, outcome: str | None) -> dict | None:
    """The row restricted to one outcome (None when it has none of it); the whole row when no outcome given."""
    if outcome is None:
        return row
    if outcome not in row.get("outcomes", {}):
        return None
    return {**row, "outcomes": {outcome: row["outcomes"][outcome]}}


def row_total(row: dict) -> int:
    return sum(values["total"] for values in row.get("outcomes", {}).values())


def windowed_rows(items: Iterable[tuple[Any, dict]], spec: WindowSpec, now: float,
                  outcome: str | None = None) -> list[dict]:
    """API rows from window items `((key, (start, end)), value)` (`Aggregates.window_items`).

    `1d` gives one row per key and day (oldest day first); `24h`/`7d` one row per key for the window ending now
    (largest total first).
    """
    wanted = None if spec.clock == "incident" else spec.current_start(now)
    rows = []
    for (key, (start, _end)), value in items:
        if wanted is not None and abs(start - wanted) > 1:
            continue
        row = select_outcome(value, outcome)
        if row is None:
            continue
        row = {"key": key, **row}
        if spec.clock == "incident":
            row["day"] = datetime.fromtimestamp(start, timezone.utc).date().isoformat()
        rows.append(row)
    if spec.clock == "incident":
        return sorted(rows, key=lambda r: (r["day"], r["key"]))
    return sorted(rows, key=lambda r: (-row_total(r), r["key"]))


def figure_summary(figure_event: dict) -> dict:
    """The compact form of a figure kept in the latest-figures table and shown on the dashboard."""
    figure, article = figure_event["figure"], figure_event.get("article") or {}
    return {"id": figure_event["event_id"], "article_id": figure_event.get("article_id"),
            "place_key": figure_event.get("place_key"), "place": place_name(figure_event),
            "country": figure_event.get("country"), "outcome": figure.get("outcome"),
            "count": figure.get("count"), "victim_type": figure.get("victim_type"),
            "cumulative": figure.get("cumulative"), "counted": counts_toward_totals(figure_event),
            "day": incident_day(figure_event), "evidence": (figure.get("evidence") or {}).get("sentence"),
            "source": article.get("source"), "url": article.get("url"), "title": article.get("title"),
            "processed_at": (figure_event.get("meta") or {}).get("processed_at")}


def push_latest(latest: list[dict] | None, summary: dict, limit: int = LATEST_FIGURES_PER_PLACE) -> list[dict]:
    """Newest first, at most `limit`, each figure id once (a replay does not push it again)."""
    others = [item for item in latest or [] if item["id"] != summary["id"]]
    return [summary, *others][:limit]


def newest_figures(lists: Iterable[list[dict]], limit: int) -> list[dict]:
    items = [item for latest in lists for item in latest]
    return sorted(items, key=lambda item: item.get("processed_at") or "", reverse=True)[:limit]


def article_record(enriched: dict, reported_at: float | None = None) -> dict:
    """The bounded part of an enriched event kept per article id: no body, capped lists, and what the mention
    counts need (`mentions`: the actors and places mentioned, each once, the publication day, the report time)."""
    summary = dict(enriched.get("summary") or {})
    summary["entities"] = (summary.get("entities") or [])[:ARTICLE_MAX_ENTITIES]
    entities: dict[str, dict] = {}
    for key, mention in mention_events(enriched):
        if key not in entities and len(entities) < ARTICLE_MAX_MENTIONS:
            entities[key] = {"key": key, **{name: mention[name] for name in ("label", "id", "canonical", "country")}}
    day = publication_day(enriched)
    if day is None and reported_at is not None:
        day = datetime.fromtimestamp(reported_at, timezone.utc).date().isoformat()
    return {**{name: enriched.get(name) for name in ("id", "title", "source", "url", "published_at")},
            "summary": summary, "casualties": (enriched.get("casualties") or [])[:ARTICLE_MAX_FIGURES],
            "meta": enriched.get("meta"),
            "mentions": {"day": day, "reported_at": reported_at, "entities": list(entities.values())}}


def same_article_version(stored: dict | None, record: dict) -> bool:
    """True when `record` is a replay of the stored version (same `meta.event_id`): it must change nothing."""
    if not stored or "mentions" not in stored:
        return False
    event_id = (record.get("meta") or {}).get("event_id")
    return event_id is not None and (stored.get("meta") or {}).get("event_id") == event_id


def entity_key(entity: dict) -> str:
    return f"{entity['label']}|{entity.get('id') or entity.get('canonical')}"


def publication_day(enriched: dict) -> str | None:
    """The day an article's mentions are filed under: its `published_at`, else when it was processed."""
    return iso_day(enriched.get("published_at")) or iso_day((enriched.get("meta") or {}).get("processed_at"))


def mention_events(enriched: dict) -> Iterator[tuple[str, dict]]:
    """(entity key, mention) for each actor or place the article mentions, tagged with the article version."""
    meta, day = enriched.get("meta") or {}, publication_day(enriched)
    for entity in (enriched.get("summary") or {}).get("entities") or []:
        if entity.get("label") in ACTOR_LABELS + PLACE_LABELS:
            yield entity_key(entity), {"label": entity["label"], "id": entity.get("id"),
                                       "canonical": entity.get("canonical"), "country": entity.get("country"),
                                       "event_id": meta.get("event_id"), "day": day}


def top_entities(rows: Iterable[dict], labels: Iterable[str], limit: int) -> list[dict]:
    wanted = set(labels)
    chosen = [row for row in rows if row.get("label") in wanted]
    return sorted(chosen, key=lambda row: (-row["articles"], row.get("canonical") or ""))[:limit]


# ---- incidents and derived window aggregates (pure) ----------------------------------------------------------

def incident_record(figure_event: dict, reported_at: float) -> dict:
    """The incident record one report makes: what the totals need, and `reported_at`, the Kafka timestamp of the
    `casualties` record that brought it."""
    figure = figure_event["figure"]
    return {"place": row_key(figure_event, "place"), "name": place_name(figure_event),
            "country": figure_event.get("country"), "outcome": figure.get("outcome") or UNKNOWN,
            "count": figure["count"]["min"], "victim_type": figure.get("victim_type") or UNKNOWN,
            "day": incident_day(figure_event), "reported_at": reported_at, "figure_id": _figure_id(figure_event)}


def join_incidents(stored: dict | None, record: dict) -> dict:
    """The stored incident after one more report (`record`, from `incident_record`).

    The attributes (victim type, place name) are those of the report with the smallest figure id, the report
    time the earliest seen: a function of the set of reports, whatever their order and however often each comes
    (commutative, associative, idempotent). Reports of one incident from articles in different partitions of
    `articles.raw` reach the rollup in an order that depends on timing and on crashes, so "the first report"
    would not be reproducible; this is.
    """
    if stored is None:
        return record
    first = record if record["figure_id"] < stored["figure_id"] else stored
    return {**first, "reported_at": min(stored["reported_at"], record["reported_at"])}


class Contribution(NamedTuple):
    """What one stored record adds to one aggregate row: `sums` ((path, number) pairs of the row's nested value)
    in the buckets of `day` (1d) and of `reported_at` (24h, 7d); `label` (the row's shown fields) with `rank`
    (the label of the lowest rank is shown)."""

    group: str
    row: str
    label: tuple
    rank: tuple
    day: str | None
    reported_at: float | None
    sums: tuple[tuple[tuple[str, ...], int | float], ...]


def casualty_contributions(key: str, record: dict) -> Iterator[Contribution]:
    """An incident record's contribution to its place row and its country row."""
    count, outcome = record["count"], ("outcomes", record["outcome"])
    sums = ((outcome + ("total",), count), (outcome + ("incidents",), 1),
            (outcome + ("victim_types", record["victim_type"]), count))
    rank = (key,)  # a place row is named after its smallest incident key: reproducible, unlike arrival order
    country = record.get("country")
    yield Contribution("place", record["place"], (record["name"], country), rank, record["day"],
                       record.get("reported_at"), sums)
    yield Contribution("country", country or UNKNOWN, (country or UNKNOWN, country), rank, record["day"],
                       record.get("reported_at"), sums)


def mention_contributions(article_id: str, record: dict) -> Iterator[Contribution]:
    """An article record's contribution to the row of each actor or place it mentions: one article."""
    mentions = record.get("mentions") or {}
    rank = (article_id,)
    for entity in mentions.get("entities") or []:
        yield Contribution(ENTITIES, entity["key"],
                           (entity["label"], entity.get("id"), entity.get("canonical"), entity.get("country")),
                           rank, mentions.get("day"), mentions.get("reported_at"), ((("articles",), 1),))


def _tally(tallies: dict, key: Any, amount: Any, sign: int) -> None:
    """tallies[key] = [amount, contributions]: add one (sign 1) or take one away (sign -1); an entry no
    contribution holds any more is dropped, so removing what was added leaves no trace (not even a 0)."""
    entry = tallies.get(key)
    if sign > 0:
        if entry is None:
            tallies[key] = [amount, 1]
        else:
            entry[0] = min(entry[0], amount) if isinstance(amount, tuple) else entry[0] + amount
            entry[1] += 1
    elif entry is not None:
        entry[1] -= 1
        if entry[1] <= 0:
            del tallies[key]
        elif not isinstance(amount, tuple):
            entry[0] -= amount


def cell_apply(cell: dict, contribution: Contribution, sign: int = 1) -> bool:
    """Add or remove one contribution in an aggregate cell; False when the cell holds nothing any more.

    `labels` maps each label to [lowest rank, contributions bearing it], `sums` each path to [sum, contributions]:
    commutative, so a cell does not depend on the order contributions arrive in."""
    labels, sums = cell.setdefault("labels", {}), cell.setdefault("sums", {})
    _tally(labels, contribution.label, contribution.rank, sign)
    for path, amount in contribution.sums:
        _tally(sums, path, amount, sign)
    return bool(labels)


def cell_merge(into: dict | None, cell: dict) -> dict:
    """The cell of the union of two cells' contributions (to sum panes into a window)."""
    into = into if into is not None else {"labels": {}, "sums": {}}
    for part in ("labels", "sums"):
        for key, (amount, count) in cell[part].items():
            entry = into[part].get(key)
            if entry is None:
                into[part][key] = [amount, count]
            else:
                entry[0] = min(entry[0], amount) if part == "labels" else entry[0] + amount
                entry[1] += count
    return into


def cell_value(group: str, cell: dict) -> dict:
    """A cell as the API shows it: the label of its lowest rank, then its sums as nested dicts."""
    label = min(cell["labels"].items(), key=lambda item: (item[1][0], repr(item[0])))[0]
    value: dict = dict(zip(LABEL_FIELDS[group], label))
    for path, (amount, _count) in cell["sums"].items():
        node = value
        for name in path[:-1]:
            node = node.setdefault(name, {})
        node[path[-1]] = amount
    return value


class Aggregates:
    """In-memory sums of a table's records per (group, row) and window bucket, derived from the table.

    `cells[window name][bucket start][(group, row)]`: for `1d` the bucket is the day (`TumblingWindow(1 day)`),
    for `24h`/`7d` the pane of one step (`TumblingWindow(step)`) holding the report time. `rebuild` recomputes
    everything from the table's local contents; `insert` applies one table write. While `dirty` (a rebalance
    changed the partitions this worker holds) writes are not applied: the next rebuild reads them from the table.
    `lock` serialises table writes with rebuilds and reads (the web server runs in its own thread)."""

    def __init__(self, contributions: Callable[[str, dict], Iterable[Contribution]],
                 windows: dict[str, WindowSpec] = WINDOWS) -> None:
        self.contributions = contributions
        self.windows = windows
        self.lock = threading.RLock()
        self.dirty = True
        self.cells: dict[str, dict[float, dict[tuple[str, str], dict]]] = {name: {} for name in windows}

    def _buckets(self, contribution: Contribution, now: float) -> Iterator[tuple[str, float]]:
        for name, spec in self.windows.items():
            if spec.clock == "incident":
                if contribution.day:
                    yield name, spec.bucket(day_timestamp(contribution.day) + 1)
            elif contribution.reported_at is not None:
                bucket = spec.bucket(contribution.reported_at)
                if not spec.stale(bucket, now):
                    yield name, bucket

    def apply(self, key: str, record: dict, sign: int = 1, now: float | None = None) -> None:
        """Add (sign 1) or remove (sign -1) a record's contributions."""
        now = time.time() if now is None else now
        for contribution in self.contributions(key, record):
            for name, bucket in self._buckets(contribution, now):
                panes = self.cells[name]
                cells = panes.get(bucket)
                if cells is None:
                    if sign < 0:
                        continue
                    cells = panes[bucket] = {}
                row = (contribution.group, contribution.row)
                cell = cells.get(row)
                if cell is None:
                    if sign < 0:
                        continue
                    cell = cells[row] = {}
                if not cell_apply(cell, contribution, sign):
                    del cells[row]
                    if not cells:
                        del panes[bucket]

    def insert(self, key: str, old: dict | None, new: dict, now: float | None = None) -> None:
        """The table's `key` went from `old` (None: a new key) to `new`; an unchanged value changes nothing."""
        with self.lock:
            if self.dirty or old == new:
                return
            if old is not None:
                self.apply(key, old, -1, now)
            self.apply(key, new, 1, now)

    def rebuild(self, items: Iterable[tuple[str, dict]], now: float | None = None) -> None:
        with self.lock:
            self.cells = {name: {} for name in self.windows}
            for key, record in items:
                self.apply(key, record, 1, now)
            self.dirty = False

    def invalidate(self) -> None:
        with self.lock:
            self.dirty = True

    def refresh(self, items: Callable[[], Iterable[tuple[str, dict]]], ready: bool) -> None:
        """Rebuild now if a rebalance made the sums stale and the tables are recovered (the lazy path)."""
        if not (self.dirty and ready):
            return
        with self.lock:
            if self.dirty:
                try:
                    self.rebuild(items())
                except RuntimeError:  # the partitions changed while reading: stay dirty, retry next time
                    self.dirty = True

    def prune(self, now: float) -> None:
        with self.lock:
            for name, spec in self.windows.items():
                if spec.clock == "report":
                    for bucket in [b for b in self.cells[name] if spec.stale(b, now)]:
                        del self.cells[name][bucket]

    def window_items(self, group: str, window: str, now: float) -> list[tuple[tuple[str, tuple[float, float]], dict]]:
        """Rows of one group for `windowed_rows`, as ((row, (start, end)), value): every day for `1d`, the
        window answered at `now` (sum of its panes) for `24h`/`7d`."""
        spec = self.windows[window]
        with self.lock:
            self.prune(now)
            if spec.clock == "incident":
                return [((row, (bucket, bucket + spec.size)), cell_value(group, cell))
                        for bucket, cells in self.cells[window].items()
                        for (cell_group, row), cell in cells.items() if cell_group == group]
            first, last = spec.window_buckets(now)
            combined: dict[str, dict] = {}
            for bucket, cells in self.cells[window].items():
                if first <= bucket <= last:
                    for (cell_group, row), cell in cells.items():
                        if cell_group == group:
                            combined[row] = cell_merge(combined.get(row), cell)
            start = spec.current_start(now)
            return [((row, (start, start + spec.size)), cell_value(group, cell)) for row, cell in combined.items()]


# ---- faust wiring --------------------------------------------------------------------------------------------

def _local_items(table: Any) -> Iterator[tuple[str, dict]]:
    """The table's entries in this worker's active partitions (faust's RocksDB store skips standbys)."""
    for key, value in table.items():
        yield (key.decode() if isinstance(key, bytes) else key), value


@dataclass
class Rollups:
    """The tables behind the HTTP API (read by streams.web) and the window sums derived from them."""

    incidents: Any                      # dedup key -> incident record (its reports joined)
    latest_figures: Any                 # place key -> newest figure summaries
    articles: Any                       # article id -> article_record
    casualty_totals: Aggregates         # derived from incidents
    mention_totals: Aggregates          # derived from articles
    ready: Callable[[], bool]           # tables recovered and no rebalance running

    def casualty_items(self, by: str, window: str, now: float) -> list:
        self.casualty_totals.refresh(lambda: _local_items(self.incidents), self.ready())
        return self.casualty_totals.window_items(by, window, now)

    def mention_items(self, window: str, now: float) -> list:
        self.mention_totals.refresh(lambda: _local_items(self.articles), self.ready())
        return self.mention_totals.window_items(ENTITIES, window, now)


def register(app: faust.App, settings: Settings, casualties_topic: faust.TopicT,
             enriched_topic: faust.TopicT, finish: Callable[[Iterable[faust.EventT]], None]) -> Rollups:
    """Declare the rollup tables, the agents that keep them (concurrency 1: they write tables) and the hooks
    that derive the window sums from them; `finish` marks each event done once its table writes are made."""
    incidents = keyed_table(app, "incidents", "each counted incident by dedup key")
    latest_figures = keyed_table(app, "latest-figures", "newest figures per place key", default=list)
    articles = keyed_table(app, "articles", "latest enriched event per article id, without its body")
    casualty_totals = Aggregates(casualty_contributions)
    mention_totals = Aggregates(mention_contributions)
    casualties_name, enriched_name = casualties_topic.get_topic_name(), enriched_topic.get_topic_name()

    def ready() -> bool:
        return app.tables.recovery.completed.is_set() and not app.in_recovery and not app.rebalancing

    async def partitions_changed(sender: Any, *args: Any, **kwargs: Any) -> None:
        casualty_totals.invalidate()
        mention_totals.invalidate()

    app.on_partitions_revoked.connect(partitions_changed)
    app.on_partitions_assigned.connect(partitions_changed)

    @incidents.on_recover
    async def rebuild_casualty_totals() -> None:
        casualty_totals.rebuild(_local_items(incidents))

    @articles.on_recover
    async def rebuild_mention_totals() -> None:
        mention_totals.rebuild(_local_items(articles))

    def count_incident(figure_event: dict, reported_at: float) -> str:
        """One table write at most: the incident joined with this report, under its dedup key."""
        if not counts_toward_totals(figure_event):
            return "not_counted"
        key, record = dedup_key(figure_event), incident_record(figure_event, reported_at)
        with casualty_totals.lock:
            stored = incidents.get(key)
            joined = join_incidents(stored, record)
            if joined != stored:
                incidents[key] = joined
                casualty_totals.insert(key, stored, joined)
            elif joined["figure_id"] == record["figure_id"]:
                # A replay of the representative report: the same key and value again, so that if a crash kept
                # the earlier write out of the changelog (local state ahead of Kafka), this one puts it there.
                incidents[key] = stored
        if stored is not None:
            return "duplicate"
        metrics.CASUALTIES_COUNTED.labels(outcome=record["outcome"], country=record["country"] or UNKNOWN
                                          ).inc(record["count"])
        return "counted"

    @app.agent(casualties_topic, name="rollup_casualties", concurrency=1)
    async def rollup_casualties(stream: faust.StreamT) -> None:
        async for event in stream.events():
            figure_event = event.value
            metrics.MESSAGES_IN.labels(topic=casualties_name).inc()
            result = count_incident(figure_event, event.message.timestamp)
            for scope in SCOPES:
                metrics.ROLLUP_FIGURES.labels(scope=scope, result=result).inc()
            place = row_key(figure_event, "place")
            latest_figures[place] = push_latest(latest_figures[place], figure_summary(figure_event))
            finish((event,))

    @app.agent(enriched_topic, name="index_articles", concurrency=1)
    async def index_articles(stream: faust.StreamT) -> None:
        async for event in stream.events():
            enriched = event.value
            metrics.MESSAGES_IN.labels(topic=enriched_name).inc()
            record = article_record(enriched, event.message.timestamp)
            with mention_totals.lock:
                stored = articles.get(enriched["id"])
                if same_article_version(stored, record):
                    articles[enriched["id"]] = stored  # a replay: the same value again, first report time kept
                else:
                    articles[enriched["id"]] = record
                    mention_totals.insert(enriched["id"], stored, record)
            finish((event,))

    return Rollups(incidents=incidents, latest_figures=latest_figures, articles=articles,
                   casualty_totals=casualty_totals, mention_totals=mention_totals, ready=ready)
