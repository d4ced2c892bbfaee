// Live dashboard: polls the worker's JSON API and redraws. All text goes through textContent (article text may
// carry markup); links are kept only when they are http(s).
"use strict";

const POLL_MILLISECONDS = 3000;
const SERIES_COUNTRIES = 6;
const COLOURS = ["#4a78c2", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#16a085"];
const SVG = "http://www.w3.org/2000/svg";
let previousPipeline = null;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function svgElement(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function total(row, outcome) {
  const values = (row.outcomes || {})[outcome];
  return values ? values.total : 0;
}

function sum(values) {
  return Object.values(values || {}).reduce((a, b) => a + b, 0);
}

function renderPlaces(rows) {
  const body = document.querySelector("#places tbody");
  body.replaceChildren();
  if (!rows.length) {
    const cell = element("td", "No incidents in this window yet.", "empty");
    cell.colSpan = 6;
    const row = element("tr");
    row.append(cell);
    body.append(row);
    return;
  }
  for (const row of rows) {
    const outcomes = row.outcomes || {};
    const other = Object.entries(outcomes).filter(([name]) => name !== "killed" && name !== "injured")
      .map(([name, values]) => `${name} ${values.total}`).join(", ");
    const counted = Object.values(outcomes).reduce((a, values) => a + values.incidents, 0);
    const tr = element("tr");
    tr.dataset.key = row.key;
    tr.append(element("td", row.name || row.key), element("td", row.country || "–"),
      element("td", total(row, "killed"), "number"), element("td", total(row, "injured"), "number"),
      element("td", other || "–"), element("td", counted, "number"));
    body.append(tr);
  }
}

function renderSeries(rows) {
  const container = document.getElementById("series");
  container.replaceChildren();
  const byCountry = new Map();
  for (const row of rows) {
    if (!byCountry.has(row.key)) byCountry.set(row.key, new Map());
    byCountry.get(row.key).set(row.day, total(row, "killed"));
  }
  const countries = [...byCountry.entries()]
    .map(([country, days]) => [country, days, [...days.values()].reduce((a, b) => a + b, 0)])
    .filter(([, , killed]) => killed > 0).sort((a, b) => b[2] - a[2]).slice(0, SERIES_COUNTRIES);
  if (!countries.length) {
    container.append(element("p", "No killed figures yet.", "empty"));
    return;
  }
  const days = [...new Set(countries.flatMap(([, d]) => [...d.keys()]))].sort();
  const peak = Math.max(1, ...countries.flatMap(([, d]) => [...d.values()]));
  const width = 900, height = 240, left = 40, bottom = 30, top = 10;
  const x = (i) => left + (days.length === 1 ? (width - left) / 2 : (i * (width - left - 10)) / (days.length - 1));
  const y = (v) => height - bottom - (v * (height - bottom - top)) / peak;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "killed per day" });
  svg.append(svgElement("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }),
    svgElement("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }),
    svgElement("text", { x: 2, y: top + 10 }, peak), svgElement("text", { x: 2, y: height - bottom }, 0),
    svgElement("text", { x: left, y: height - 8 }, days[0]),
    svgElement("text", { x: width - 80, y: height - 8 }, days[days.length - 1]));
  const legend = element("div", null, "legend");
  countries.forEach(([country, values], index) => {
    const colour = COLOURS[index % COLOURS.length];
    const points = days.map((day, i) => `${x(i)},${y(values.get(day) || 0)}`).join(" ");
    svg.append(svgElement("polyline", { points, fill: "none", stroke: colour, "stroke-width": 2 }));
    days.forEach((day, i) => {
      if (values.has(day)) {
        const dot = svgElement("circle", { cx: x(i), cy: y(values.get(day)), r: 3, fill: colour });
        dot.append(svgElement("title", {}, `${country} ${day}: ${values.get(day)} killed`));
        svg.append(dot);
      }
    });
    const item = element("span", country);
    const swatch = element("span", null, "swatch");
    swatch.style.background = colour;
    item.prepend(swatch);
    legend.append(item);
  });
  container.append(svg, legend);
}

function renderBars(listId, rows) {
  const list = document.getElementById(listId);
  list.replaceChildren();
  if (!rows.length) {
    list.append(element("li", "Nothing mentioned yet.", "empty"));
    return;
  }
  const peak = Math.max(...rows.map((row) => row.articles));
  for (const row of rows) {
    const item = element("li");
    const bar = element("span", null, "bar");
    bar.style.width = `${Math.round((120 * row.articles) / peak)}px`;
    item.append(bar, element("span", `${row.canonical} (${row.label}) – ${row.articles} article(s)`));
    list.append(item);
  }
}

function renderLatest(rows) {
  const list = document.getElementById("latest");
  list.replaceChildren();
  if (!rows.length) {
    list.append(element("li", "No figures yet.", "empty"));
    return;
  }
  for (const figure of rows) {
    const item = element("li");
    item.dataset.figureId = figure.id;
    const count = figure.count || {};
    const head = element("div", `${count.text || count.min} ${figure.outcome} – ${figure.place} (${figure.day})`,
      "figure-head");
    if (figure.cumulative) head.append(element("span", "cumulative tally, not summed", "cumulative"));
    const source = element("div", null, "source");
    const label = [figure.source, figure.title || figure.article_id].filter(Boolean).join(": ");
    const url = safeUrl(figure.url);
    if (url) {
      const link = element("a", label);
      link.href = url;
      link.rel = "noopener noreferrer";
      source.append(link);
    } else {
      source.textContent = label;
    }
    item.append(head, element("p", figure.evidence, "evidence"), source);
    list.append(item);
  }
}

function renderPipeline(pipeline) {
  const ready = pipeline.readiness && pipeline.readiness.ready;
  const badge = document.getElementById("ready");
  badge.textContent = ready ? "ready" : "not ready";
  badge.className = `badge ${ready ? "ready" : "not-ready"}`;
  const consumed = sum(pipeline.messages_in);
  if (previousPipeline && pipeline.time > previousPipeline.time) {
    const rate = (consumed - sum(previousPipeline.messages_in)) / (pipeline.time - previousPipeline.time);
    document.getElementById("throughput").textContent = rate.toFixed(1);
  }
  previousPipeline = pipeline;
  document.getElementById("lag").textContent = sum(pipeline.consumer_lag);
  document.getElementById("dead-letters").textContent = sum(pipeline.dead_letters);
  document.getElementById("figures-extracted").textContent = sum(pipeline.figures_extracted);
}

async function refresh() {
  const windowName = document.getElementById("window").value;
  const [places, series, actors, mentionedPlaces, latest, pipeline] = await Promise.all([
    getJson(`/api/casualties?by=place&window=${windowName}`),
    getJson("/api/casualties?by=country&window=1d&outcome=killed"),
    getJson("/api/entities/top?label=ORG,PERSON,NORP&window=7d&limit=10"),
    getJson("/api/entities/top?label=GPE,LOC,FAC&window=7d&limit=10"),
    getJson("/api/figures/latest?limit=20"),
    getJson("/api/pipeline"),
  ]);
  renderPlaces(places.rows);
  renderSeries(series.rows);
  renderBars("actors", actors.rows);
  renderBars("mentioned-places", mentionedPlaces.rows);
  renderLatest(latest.rows);
  renderPipeline(pipeline);
  document.getElementById("updated").textContent = new Date().toLocaleTimeString();
}

async function poll() {
  try {
    await refresh();
  } catch (error) {
    document.getElementById("updated").textContent = `error: ${error.message}`;
  }
  setTimeout(poll, POLL_MILLISECONDS);
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("window").addEventListener("change", refresh);
  poll();
});
