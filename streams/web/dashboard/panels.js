// The list panels: incidents table, outlets and actors, latest figures, pipeline health.

import { admin1Name, element, emptyNote, incidentCountry, linkOrText, outlets, sum, tollText } from "./dom.js";
import { renderBars } from "./charts.js";

export function renderIncidentTable(body, incidents, onSelect) {
  if (!incidents.length) {
    const row = element("tr");
    const cell = element("td", "No incidents match these filters yet.", "empty");
    cell.colSpan = 8;
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...incidents.map((incident) => {
    const place = incident.place || {};
    const other = Object.entries(incident.tolls || {})
      .filter(([name, toll]) => name !== "killed" && name !== "injured" && toll.min)
      .map(([name, toll]) => `${name} ${tollText(toll)}`).join(", ");
    const row = element("tr", null, "clickable");
    row.dataset.incidentId = incident.id;
    row.tabIndex = 0;
    row.append(element("td", incident.day || "–"), element("td", place.name || "–"), element("td", admin1Name(place) || "–"),
      element("td", incidentCountry(incident) || "–"), element("td", tollText(incident.killed), "number"),
      element("td", tollText(incident.injured), "number"), element("td", other || "–"),
      element("td", (incident.sources || []).length, "number"));
    row.addEventListener("click", () => onSelect(incident.id));
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") onSelect(incident.id); });
    return row;
  }));
}

// Outlets: the sources of the reports of the incidents shown, by number of reports.
export function outletRows(incidents) {
  const counts = new Map();
  for (const incident of incidents) {
    for (const source of incident.sources || []) {
      const name = source.source || "outlet not named";
      counts.set(name, (counts.get(name) || 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10)
    .map(([name, count]) => ({ name, count, unit: "report(s)" }));
}

export class OutletRule {
  constructor(knowledge) {
    this.names = new Set((knowledge.names || []).map((name) => name.toLowerCase()));
    this.patterns = (knowledge.patterns || []).map((pattern) => new RegExp(pattern));
  }

  addSources(incidents) {
    for (const incident of incidents) for (const name of outlets(incident)) this.names.add(name.toLowerCase());
  }

  isOutlet(entity) {
    const canonical = entity.canonical || "";
    const slug = String(entity.id || "").replace(/^org:/, "").replace(/-/g, " ");
    return entity.label === "ORG" && (this.names.has(canonical.toLowerCase()) || this.names.has(slug.toLowerCase()) ||
      this.patterns.some((pattern) => pattern.test(canonical)));
  }
}

// Top actors (organisations and persons, outlets left out), and nationalities apart.
export function renderActors(list, rows, rule, limit = 10) {
  const actors = rows.filter((row) => !rule.isOutlet(row)).slice(0, limit);
  renderBars(list, actors.map((row) => ({ name: `${row.canonical} (${row.label})`, count: row.articles, unit: "article(s)" })),
    "No actors mentioned yet.");
}

export function renderEntityBars(list, rows, emptyText) {
  renderBars(list, rows.map((row) => ({ name: row.canonical, count: row.articles, unit: "article(s)", title: row.label })), emptyText);
}

export function renderLatest(list, rows) {
  if (!rows.length) {
    list.replaceChildren(element("li", "No figures yet.", "empty"));
    return;
  }
  list.replaceChildren(...rows.map((figure) => {
    const item = element("li");
    item.dataset.figureId = figure.id;
    const count = figure.count || {};
    const head = element("div", `${count.text || count.min} ${figure.outcome} – ${figure.place} (${figure.day})`, "figure-head");
    if (figure.cumulative) head.append(element("span", "cumulative tally, not summed", "cumulative"));
    const source = element("div", null, "source");
    source.append(linkOrText([figure.source, figure.title || figure.article_id].filter(Boolean).join(": "), figure.url));
    item.append(head, element("p", figure.evidence, "evidence"), source);
    return item;
  }));
}

export function renderPipeline(table, pipeline) {
  const topics = new Set([...Object.keys(pipeline.messages_in || {}), ...Object.keys(pipeline.consumer_lag || {})]);
  const body = table.tBodies[0];
  if (!topics.size) {
    const row = element("tr");
    const cell = element("td", "No topic consumed yet.", "empty");
    cell.colSpan = 3;
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...[...topics].sort().map((topic) => {
    const row = element("tr");
    row.dataset.topic = topic;
    row.append(element("td", topic), element("td", (pipeline.messages_in || {})[topic] || 0, "number"),
      element("td", topic in (pipeline.consumer_lag || {}) ? pipeline.consumer_lag[topic] : "–", "number"));
    return row;
  }));
}

export function renderHealth(pipeline, previous) {
  const ready = pipeline.readiness && pipeline.readiness.ready;
  setBadge(ready ? "ready" : "not ready", ready ? "ready" : "not-ready");
  if (previous && pipeline.time > previous.time) {
    const rate = (sum(pipeline.messages_in) - sum(previous.messages_in)) / (pipeline.time - previous.time);
    document.getElementById("throughput").textContent = rate.toFixed(1);
  }
  document.getElementById("lag").textContent = sum(pipeline.consumer_lag);
  document.getElementById("dead-letters").textContent = sum(pipeline.dead_letters);
  document.getElementById("figures-extracted").textContent = sum(pipeline.figures_extracted);
}

export function setBadge(text, className) {
  const badge = document.getElementById("ready");
  badge.textContent = text;
  badge.className = `badge ${className}`;
}
