"""Live rollups: casualty totals by place and country, entity mentions, latest figures and articles.

A figure enters the totals once per incident (`keys`: which figures count and the dedup key
`place|day|outcome|count.min`); the durable state is faust tables of compact records (`records`: the incidents
table, each incident with its reports joined so that a replay writes the same value; the articles table; the
latest figures per place); the windowed totals are derived in memory from those tables (`aggregates`: what each
record contributes to which row, summed per pane of faust's windows, `windows`); `agents` declares the tables and
the agents that write them, and says how the tables are partitioned and why the totals are exact under any crash
point. `reference` computes the same totals directly from figure events, for the tests.

Modules, from the bottom up:
- `windows`: window specs (`1d`, `24h`, `7d`), day arithmetic, the API rows of a window.
- `keys`: dedup key, row key (place or country), place name, entity key: pure functions of an event.
- `records`: the table values (`IncidentRecord`, `ArticleRecord`, `FigureSummary`) and how reports join.
- `aggregates`: `Contribution`s of a record, the cells that sum them, `Aggregates` (the derived window sums).
- `reference`: `rollup`, the totals the tables must agree with.
- `agents`: `register` (tables, agents, rebuild hooks) and `Rollups`, what the HTTP API (streams.web) reads.

Where the incident stage plugs in: incidents recognised across articles are `streams.incidents` (its own
agents, `incident-regions` table and compacted `incidents` topic, one record per incident keyed by incident id).
Totals counted per incident are a rollup of that topic and go here, built like the mention counts: the record
the table keeps per incident id (its latest version; a replay of the same version changes nothing, like
`records.same_article_version`) in `records`, an `incident_contributions` beside
`aggregates.casualty_contributions` feeding one more `Aggregates`, the agent as `register_incident_totals` in
`agents` called from `register` beside `register_casualty_rollup`, and the table and its sums as fields of
`Rollups`, which the API reads. (The `incidents` table of this package is the figure dedup of `keys`, one entry
per `place|day|outcome|count`, not the recognised incidents.)
"""

from streams.rollups.agents import Rollups, count_incident, index_article, local_items, register, tables_ready
from streams.rollups.aggregates import (
    ENTITIES,
    LABEL_FIELDS,
    Aggregates,
    Contribution,
    casualty_contributions,
    cell_apply,
    cell_merge,
    cell_value,
    mention_contributions,
)
from streams.rollups.keys import (
    ACTOR_LABELS,
    PLACE_LABELS,
    SCOPES,
    UNKNOWN,
    country_of,
    counts_toward_totals,
    dedup_key,
    entity_key,
    figure_id,
    incident_day,
    place_name,
    publication_day,
    row_key,
)
from streams.rollups.records import (
    ARTICLE_MAX_ENTITIES,
    ARTICLE_MAX_FIGURES,
    ARTICLE_MAX_MENTIONS,
    LATEST_FIGURES_PER_PLACE,
    ArticleRecord,
    FigureSummary,
    IncidentRecord,
    article_record,
    figure_summary,
    incident_record,
    join_incidents,
    mention_events,
    newest_figures,
    push_latest,
    same_article_version,
    top_entities,
)
from streams.rollups.reference import contribution, merge, rollup
from streams.rollups.windows import (
    DAY,
    HOUR,
    WINDOWS,
    WindowSpec,
    day_timestamp,
    iso_day,
    row_total,
    select_outcome,
    windowed_rows,
)

__all__ = [
    "ACTOR_LABELS",
    "ARTICLE_MAX_ENTITIES",
    "ARTICLE_MAX_FIGURES",
    "ARTICLE_MAX_MENTIONS",
    "DAY",
    "ENTITIES",
    "HOUR",
    "LABEL_FIELDS",
    "LATEST_FIGURES_PER_PLACE",
    "PLACE_LABELS",
    "SCOPES",
    "UNKNOWN",
    "WINDOWS",
    "Aggregates",
    "ArticleRecord",
    "Contribution",
    "FigureSummary",
    "IncidentRecord",
    "Rollups",
    "WindowSpec",
    "article_record",
    "casualty_contributions",
    "cell_apply",
    "cell_merge",
    "cell_value",
    "contribution",
    "count_incident",
    "country_of",
    "counts_toward_totals",
    "day_timestamp",
    "dedup_key",
    "entity_key",
    "figure_id",
    "figure_summary",
    "incident_day",
    "incident_record",
    "index_article",
    "iso_day",
    "join_incidents",
    "local_items",
    "mention_contributions",
    "mention_events",
    "merge",
    "newest_figures",
    "place_name",
    "publication_day",
    "push_latest",
    "register",
    "rollup",
    "row_key",
    "row_total",
    "same_article_version",
    "select_outcome",
    "tables_ready",
    "top_entities",
    "windowed_rows",
]
