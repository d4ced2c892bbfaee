// Live dashboard: polls the worker's JSON API and redraws every panel. Each panel renders from its own answer: an
// endpoint that fails (or a worker that restarts) leaves that panel with its last data and an error note, the others
// go on, and the status badge always says what the worker answered. Nothing is loaded from outside the worker.

import * as charts from "./charts.js";
import { getJson, HttpError } from "./dom.js";
import { describeFilters, fillChoices, formFilters, incidentsPath, readState, showFilters, stateSearch } from "./filters.js";
import { IncidentMap } from "./map.js";
import { renderIncident, renderMissingIncident } from "./detail.js";
import { OutletRule, outletRows, renderActors, renderEntityBars, renderHealth, renderIncidentTable, renderLatest,
  renderPipeline, setBadge } from "./panels.js";

const POLL_MILLISECONDS = 3000;
const INCIDENT_LIMIT = 200;
const ENDPOINTS = {
  actors: "/api/entities/top?label=ORG,PERSON&window=7d&limit=40",
  nationalities: "/api/entities/top?label=NORP&window=7d&limit=10",
  places: "/api/entities/top?label=GPE,LOC,FAC&window=7d&limit=10",
  latest: "/api/figures/latest?limit=20",
  pipeline: "/api/pipeline",
};
// Which panels each answer feeds: an error shows on those panels.
const PANELS = {
  incidents: ["map-panel", "incidents-panel", "series-panel", "outlets-panel", "detail-panel"],
  actors: ["actors-panel"], nationalities: ["nationalities-panel"], places: ["places-panel"],
  latest: ["latest-panel"], pipeline: ["pipeline-panel"],
};

const state = { ...readState(window.location.search), incidents: [], previousPipeline: null, generation: 0 };
let map, outletRule = new OutletRule({});
const $ = (id) => document.getElementById(id);

function incidentError(error) {
  if (error instanceof HttpError && error.status === 404) return "This worker keeps no incident view (an enrich-only worker): open the dashboard of a rollups worker.";
  return `Could not load the incidents: ${error.message}`;
}

function renderIncidents(answer) {
  state.incidents = answer.incidents || [];
  outletRule.addSources(state.incidents);
  fillChoices($("filters"), answer.facets || {}, state.filters, map.countryNames);
  const totals = answer.totals || {};
  const shown = state.incidents.length < (totals.incidents || 0) ? ` (newest ${state.incidents.length} listed)` : "";
  $("totals").textContent = `${describeFilters(state.filters)}: ${totals.incidents || 0} incident(s), ` +
    `${totals.killed || 0} killed, ${totals.injured || 0} injured${shown}` +
    (answer.following === false ? " – the incident view is not following the topic (see the worker log)" : "");
  map.render(state.incidents);
  renderIncidentTable($("incidents").tBodies[0], state.incidents, select);
  charts.renderDaySeries($("series"), answer.days || [], state.filters.outcome === "injured" ? "injured" : "killed");
  charts.renderBars($("outlets"), outletRows(state.incidents), "No reports yet.");
  renderDetail();
}

function renderDetail() {
  const panel = $("detail-panel");
  panel.hidden = !state.incident;
  if (!state.incident) return;
  const incident = state.incidents.find((item) => item.id === state.incident);
  const detail = $("detail");
  if (incident && detail.dataset.incidentId === incident.id && detail.dataset.version === String(incident.version)) return;
  if (incident) {
    renderIncident(detail, incident, () => select(""));
    detail.dataset.version = String(incident.version);
  } else {
    renderMissingIncident(detail, state.incident, () => select(""));
    detail.dataset.version = "";
  }
}

const RENDER = {
  incidents: renderIncidents,
  actors: (answer) => renderActors($("actors"), answer.rows || [], outletRule),
  nationalities: (answer) => renderEntityBars($("nationalities"), answer.rows || [], "No nationalities mentioned yet."),
  places: (answer) => renderEntityBars($("mentioned-places"), answer.rows || [], "No places mentioned yet."),
  latest: (answer) => renderLatest($("latest"), answer.rows || []),
  pipeline: (answer) => {
    renderHealth(answer, state.previousPipeline);
    state.previousPipeline = answer;
    renderPipeline($("pipeline"), answer);
  },
};

function showPanelError(name, error) {
  for (const id of PANELS[name]) {
    const note = document.querySelector(`#${id} .panel-error`);
    if (note) note.textContent = error ? (name === "incidents" ? incidentError(error) : `Could not load: ${error.message}`) : "";
  }
}

async function refresh() {
  const generation = ++state.generation;
  const requests = { incidents: getJson(incidentsPath(state.filters, INCIDENT_LIMIT)) };
  for (const [name, path] of Object.entries(ENDPOINTS)) requests[name] = getJson(path);
  const names = Object.keys(requests);
  const results = await Promise.allSettled(Object.values(requests));
  if (generation !== state.generation) return; // a newer refresh (filters changed) is on its way
  let failures = 0;
  results.forEach((result, index) => {
    const name = names[index];
    let error = result.status === "rejected" ? result.reason : null;
    if (!error) {
      try {
        RENDER[name](result.value);
      } catch (renderError) {
        error = renderError;
      }
    }
    if (error) failures += 1;
    showPanelError(name, error);
  });
  const pipelineResult = results[names.indexOf("pipeline")];
  if (pipelineResult.status === "rejected") {
    const unreachable = !(pipelineResult.reason instanceof HttpError);
    setBadge(unreachable ? "unreachable" : "error", "not-ready");
  }
  $("updated").textContent = `${new Date().toLocaleTimeString()}${failures ? ` (${failures} of ${names.length} answers missing)` : ""}`;
}

async function poll() {
  try {
    await refresh();
  } catch (error) {
    $("updated").textContent = `error: ${error.message}`;
  }
  setTimeout(poll, POLL_MILLISECONDS);
}

function applyState(push) {
  const search = stateSearch(state);
  if (search !== window.location.search) {
    window.history[push ? "pushState" : "replaceState"](null, "", `${window.location.pathname}${search}`);
  }
  showFilters($("filters"), state.filters);
  renderDetail();
}

function select(incidentId) {
  state.incident = incidentId;
  applyState(true);
  if (incidentId) $("detail-panel").scrollIntoView({ block: "nearest" });
}

function filter(filters) {
  state.filters = filters;
  applyState(true);
  refresh();
}

async function loadOutlets() {
  try {
    outletRule = new OutletRule(await getJson("/dashboard/static/news-outlets.json"));
  } catch (error) {
    outletRule = new OutletRule({}); // only the outlets named as sources of reports are known then
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  const form = $("filters");
  map = new IncidentMap($("map"), { onSelect: select, onCountry: (code) => filter({ ...state.filters, country: code, admin1: "" }) });
  showFilters(form, state.filters);
  form.addEventListener("change", () => filter(formFilters(form, state.filters)));
  form.addEventListener("submit", (event) => event.preventDefault());
  $("clear-filters").addEventListener("click", () => filter(readState("").filters));
  window.addEventListener("popstate", () => {
    Object.assign(state, readState(window.location.search));
    applyState(false);
    refresh();
  });
  window.addEventListener("resize", () => map.render(state.incidents));
  map.loadBasemap(); // redraws the points once the outlines are in
  await loadOutlets();
  poll();
});
