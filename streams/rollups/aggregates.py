"""Window sums derived from the tables: what each stored record contributes to which row, and the cells that add
the contributions up per window bucket.

Windows are derived, not stored. Each worker keeps in memory the sums of the records in its active partitions of
a table, per row (place, country or entity) and window bucket (`streams.rollups.windows`), rebuilt from the local
table whenever recovery after a rebalance completes (a table `on_recover` callback; lazily on the next query if a
rebalance came in between) and updated by each table write that changes a value: a new key adds its record, a
changed record moves its contribution (old one out, new one in), a write of an unchanged value changes nothing.
The sums are commutative, so the same records in any order, or applied again by a rebuild, give the same answer.
Memory grows with panes and rows, not with records.

A place row shows the name and country of its incident with the smallest dedup key. Entity mentions are derived
the same way from the `articles` table: the number of articles (latest version of each) that mention an entity,
with the publication day for `1d` and the report time of the article version for `24h`/`7d`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

from streams.rollups.keys import UNKNOWN
from streams.rollups.records import ArticleRecord, IncidentRecord
from streams.rollups.windows import WINDOWS, WindowItem, WindowSpec, day_timestamp

ENTITIES = "entities"
# The names under which a row's label fields are shown, by group (scope of casualty rows, or entity rows).
LABEL_FIELDS = {
    "place": ("name", "country"),
    "country": ("name", "country"),
    ENTITIES: ("label", "id", "canonical", "country"),
}

RecordT = TypeVar("RecordT")
# A cell: "labels" and "sums", each key -> [amount, contributions] (see `cell_apply`).
Cell = dict[str, dict[Any, list[Any]]]


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


def casualty_contributions(key: str, record: IncidentRecord) -> Iterator[Contribution]:
    """An incident record's contribution to its place row and its country row."""
    count, outcome = record["count"], ("outcomes", record["outcome"])
    sums = (
        ((*outcome, "total"), count),
        ((*outcome, "incidents"), 1),
        ((*outcome, "victim_types", record["victim_type"]), count),
    )
    rank = (key,)  # a place row is named after its smallest incident key: reproducible, unlike arrival order
    country = record.get("country")
    yield Contribution(
        "place", record["place"], (record["name"], country), rank, record["day"], record.get("reported_at"), sums
    )
    yield Contribution(
        "country",
        country or UNKNOWN,
        (country or UNKNOWN, country),
        rank,
        record["day"],
        record.get("reported_at"),
        sums,
    )


def mention_contributions(article_id: str, record: ArticleRecord) -> Iterator[Contribution]:
    """An article record's contribution to the row of each actor or place it mentions: one article."""
    mentions: Any = record.get("mentions") or {}
    rank = (article_id,)
    for entity in mentions.get("entities") or []:
        yield Contribution(
            ENTITIES,
            entity["key"],
            (entity["label"], entity.get("id"), entity.get("canonical"), entity.get("country")),
            rank,
            mentions.get("day"),
            mentions.get("reported_at"),
            ((("articles",), 1),),
        )


# ---- cells ---------------------------------------------------------------------------------------------------


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


def cell_apply(cell: Cell, contribution: Contribution, sign: int = 1) -> bool:
    """Add or remove one contribution in an aggregate cell; False when the cell holds nothing any more.

    `labels` maps each label to [lowest rank, contributions bearing it], `sums` each path to [sum, contributions]:
    commutative, so a cell does not depend on the order contributions arrive in."""
    labels, sums = cell.setdefault("labels", {}), cell.setdefault("sums", {})
    _tally(labels, contribution.label, contribution.rank, sign)
    for path, amount in contribution.sums:
        _tally(sums, path, amount, sign)
    return bool(labels)


def cell_merge(into: Cell | None, cell: Cell) -> Cell:
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


def cell_value(group: str, cell: Cell) -> dict:
    """A cell as the API shows it: the label of its lowest rank, then its sums as nested dicts."""
    label = min(cell["labels"].items(), key=lambda item: (item[1][0], repr(item[0])))[0]
    value: dict = dict(zip(LABEL_FIELDS[group], label, strict=False))
    for path, (amount, _count) in cell["sums"].items():
        node = value
        for name in path[:-1]:
            node = node.setdefault(name, {})
        node[path[-1]] = amount
    return value


# ---- aggregates ----------------------------------------------------------------------------------------------


class Aggregates(Generic[RecordT]):
    """In-memory sums of a table's records per (group, row) and window bucket, derived from the table.

    `cells[window name][bucket start][(group, row)]`: for `1d` the bucket is the day (`TumblingWindow(1 day)`),
    for `24h`/`7d` the pane of one step (`TumblingWindow(step)`) holding the report time. `rebuild` recomputes
    everything from the table's local contents; `insert` applies one table write. While `dirty` (a rebalance
    changed the partitions this worker holds) writes are not applied: the next rebuild reads them from the table.
    `lock` serialises table writes with rebuilds and reads (the web server runs in its own thread)."""

    def __init__(
        self,
        contributions: Callable[[str, RecordT], Iterable[Contribution]],
        windows: dict[str, WindowSpec] = WINDOWS,
    ) -> None:
        self.contributions = contributions
        self.windows = windows
        self.lock = threading.RLock()
        self.dirty = True
        self.cells: dict[str, dict[float, dict[tuple[str, str], Cell]]] = {name: {} for name in windows}

    def _buckets(self, contribution: Contribution, now: float) -> Iterator[tuple[str, float]]:
        for name, spec in self.windows.items():
            if spec.clock == "incident":
                if contribution.day:
                    yield name, spec.bucket(day_timestamp(contribution.day) + 1)
            elif contribution.reported_at is not None:
                bucket = spec.bucket(contribution.reported_at)
                if not spec.stale(bucket, now):
                    yield name, bucket

    def apply(self, key: str, record: RecordT, sign: int = 1, now: float | None = None) -> None:
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

    def insert(self, key: str, old: RecordT | None, new: RecordT, now: float | None = None) -> None:
        """The table's `key` went from `old` (None: a new key) to `new`; an unchanged value changes nothing."""
        with self.lock:
            if self.dirty or old == new:
                return
            if old is not None:
                self.apply(key, old, -1, now)
            self.apply(key, new, 1, now)

    def rebuild(self, items: Iterable[tuple[str, RecordT]], now: float | None = None) -> None:
        with self.lock:
            self.cells = {name: {} for name in self.windows}
            for key, record in items:
                self.apply(key, record, 1, now)
            self.dirty = False

    def invalidate(self) -> None:
        with self.lock:
            self.dirty = True

    def refresh(self, items: Callable[[], Iterable[tuple[str, RecordT]]], ready: bool) -> None:
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

    def window_items(self, group: str, window: str, now: float) -> list[WindowItem]:
        """Rows of one group for `windowed_rows`, as ((row, (start, end)), value): every day for `1d`, the
        window answered at `now` (sum of its panes) for `24h`/`7d`."""
        spec = self.windows[window]
        with self.lock:
            self.prune(now)
            if spec.clock == "incident":
                return [
                    ((row, (bucket, bucket + spec.size)), cell_value(group, cell))
                    for bucket, cells in self.cells[window].items()
                    for (cell_group, row), cell in cells.items()
                    if cell_group == group
                ]
            first, last = spec.window_buckets(now)
            combined: dict[str, Cell] = {}
            for bucket, cells in self.cells[window].items():
                if first <= bucket <= last:
                    for (cell_group, row), cell in cells.items():
                        if cell_group == group:
                            combined[row] = cell_merge(combined.get(row), cell)
            start = spec.current_start(now)
            return [((row, (start, start + spec.size)), cell_value(group, cell)) for row, cell in combined.items()]
