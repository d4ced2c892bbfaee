// The drill-down: one incident's toll range, its sources with what each said and its evidence sentences, and
// behind each article id the article as the worker indexed it (/api/articles/{id}).

import { admin1Name, element, emptyNote, getJson, linkOrText, placeLabel, tollText } from "./dom.js";

function saidText(said) {
  return Object.entries(said || {})
    .map(([outcome, stated]) => `${outcome} ${tollText(stated)}${stated.update ? " (update)" : ""}`)
    .join(", ") || "no toll (mentions the incident)";
}

function facts(pairs) {
  const list = element("dl", null, "facts");
  for (const [term, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(element("dt", term), element("dd", value));
  }
  return list;
}

function tollTable(incident) {
  const table = element("table", null, "tolls");
  const head = element("tr");
  head.append(...["Outcome", "Toll (min–max)", "Reports", "Counted in totals"].map((name) => element("th", name)));
  table.append(head);
  const tolls = { killed: incident.killed, injured: incident.injured, ...(incident.tolls || {}) };
  for (const [outcome, toll] of Object.entries(tolls)) {
    if (!toll || (!toll.min && !toll.max && !toll.reports)) continue;
    const row = element("tr");
    row.dataset.outcome = outcome;
    row.append(element("td", outcome), element("td", tollText(toll), "number"), element("td", toll.reports, "number"),
      element("td", outcome === "killed" || outcome === "injured" ? toll.min : "–", "number"));
    table.append(row);
  }
  return table;
}

function sourceItem(source, openArticle) {
  const item = element("li", null, "source-item");
  item.dataset.articleId = source.article_id;
  const head = element("div", null, "source-head");
  head.append(element("b", source.source || "outlet not named"), element("span", " · "),
    linkOrText(source.title || source.article_id, source.url),
    element("span", ` · published ${source.published_at || "unknown"}`, "muted"));
  const said = element("div", `said: ${saidText(source.said)}`, "said");
  if (source.role === "follow_up") said.append(element("span", " follow-up: adds nothing to the toll", "muted"));
  if ((source.superseded || []).length) {
    said.append(element("span", ` superseded by a later update: ${source.superseded.join(", ")}`, "superseded"));
  }
  const evidence = element("ul", null, "evidence-list");
  for (const sentence of source.evidence || []) evidence.append(element("li", sentence, "evidence"));
  const article = element("div", null, "article");
  const button = element("button", `article ${source.article_id}`, "article-id");
  button.type = "button";
  button.addEventListener("click", () => openArticle(source.article_id, article));
  item.append(head, said, evidence, button, article);
  return item;
}

export function renderIncident(container, incident, onClose) {
  const close = element("button", "close", "close");
  close.type = "button";
  close.addEventListener("click", onClose);
  const place = incident.place || {};
  const where = typeof place.lat === "number" ? `${place.lat.toFixed(3)}, ${place.lon.toFixed(3)}` : null;
  const heading = element("h3", `${placeLabel(incident)} – ${incident.day || "day unknown"}`);
  const sources = element("ol", null, "sources");
  sources.append(...(incident.sources || []).map((source) => sourceItem(source, openArticle)));
  container.dataset.incidentId = incident.id;
  container.replaceChildren(close, heading, facts([
    ["Incident", `${incident.id} (version ${incident.version})`],
    ["Place", place.name ? `${place.name} (${place.precision || "precision unknown"})` : "not placed"],
    ["Region", [admin1Name(place), place.admin2 && (place.admin2.name || place.admin2), place.country].filter(Boolean).join(", ") || incident.region],
    ["Coordinates", where],
    ["Reported", `${incident.first_reported || "?"} to ${incident.last_reported || "?"}`],
    ["Articles", (incident.articles || []).join(", ")],
    ["Absorbed", (incident.merged_from || []).join(", ")],
  ]), tollTable(incident), element("h4", `Sources (${(incident.sources || []).length})`), sources);
}

export function renderMissingIncident(container, incidentId, onClose) {
  const close = element("button", "close", "close");
  close.type = "button";
  close.addEventListener("click", onClose);
  container.dataset.incidentId = incidentId;
  container.replaceChildren(close, emptyNote(`Incident ${incidentId} is not among the incidents these filters show.`));
}

async function openArticle(articleId, target) {
  target.replaceChildren(element("p", "loading…", "muted"));
  try {
    renderArticle(target, await getJson(`/api/articles/${encodeURIComponent(articleId)}`));
  } catch (error) {
    target.replaceChildren(emptyNote(error.status === 404
      ? `Article ${articleId} is not indexed on this worker yet.` : `Could not load the article: ${error.message}`));
  }
}

function figureItem(figure) {
  const count = figure.count || {};
  const item = element("li");
  const flags = [figure.in_incident_total ? "in the incident toll" : "not in the toll",
    figure.cumulative ? "cumulative" : null, figure.date ? `dated ${figure.date}` : null].filter(Boolean);
  item.append(element("b", `${count.text || count.min} ${figure.outcome}`), element("span", ` (${flags.join(", ")})`, "muted"),
    element("div", (figure.evidence || {}).sentence || "", "evidence"));
  return item;
}

// The figures that make up the article's incident toll, the others folded away.
function figureLists(figures) {
  const inToll = figures.filter((figure) => figure.in_incident_total);
  const others = figures.filter((figure) => !figure.in_incident_total);
  const list = element("ul", null, "article-figures");
  list.append(...inToll.map(figureItem));
  const parts = [inToll.length ? list : emptyNote("No figure of this article is in its incident toll.")];
  if (others.length) {
    const more = element("details");
    const rest = element("ul", null, "article-figures");
    rest.append(...others.map(figureItem));
    more.append(element("summary", `${others.length} other figure(s), not in the toll`), rest);
    parts.push(more);
  }
  return parts;
}

function renderArticle(target, article) {
  const summary = article.summary || {};
  const place = summary.place || {};
  const actors = (summary.entities || []).filter((e) => ["ORG", "PERSON", "NORP"].includes(e.label)).slice(0, 8);
  target.replaceChildren(facts([
    ["Title", article.title],
    ["Outlet", article.source],
    ["Published", article.published_at],
    ["Place", place.name ? `${place.name}, ${[admin1Name(place), place.country].filter(Boolean).join(", ")} (${place.precision || "?"})` : null],
    ["Killed", summary.killed ? tollText(summary.killed) : null],
    ["Injured", summary.injured ? tollText(summary.injured) : null],
    ["Named", actors.map((e) => `${e.canonical} (${e.label})`).join(", ")],
    ["Version", (article.meta || {}).event_id],
  ]), ...figureLists(article.casualties || []));
  if (article.url) target.prepend(linkOrText("open the original", article.url));
}
