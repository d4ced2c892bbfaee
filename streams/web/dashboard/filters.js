// The filters and the open incident live in the page's address (?country=SY&admin1=Aleppo&outcome=killed&from=...
// &to=...&reported=24h&incident=inc-...), so that a view can be shared or bookmarked.

import { element } from "./dom.js";

export const FILTERS = ["country", "admin1", "outcome", "from", "to", "reported"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const REPORTED = { "24h": "last 24 hours", "7d": "last 7 days" };

function validDay(text) {
  const time = Date.parse(`${text}T00:00:00Z`);
  return DAY.test(text) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

export function readState(search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const name of FILTERS) filters[name] = params.get(name) || "";
  for (const name of ["from", "to"]) if (!validDay(filters[name])) filters[name] = "";
  if (!(filters.reported in REPORTED)) filters.reported = "";
  return { filters, incident: params.get("incident") || "" };
}

export function stateSearch(state) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  if (state.incident) params.set("incident", state.incident);
  const search = params.toString();
  return search ? `?${search}` : "";
}

export function incidentsPath(filters, limit) {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  return `/api/incidents?${params}`;
}

// The select's options: "any" first, then [value, label] pairs; the current value stays even when no incident has it.
function fillSelect(select, anyLabel, options, current) {
  const values = new Map(options);
  if (current && !values.has(current)) values.set(current, `${current} (none now)`);
  select.replaceChildren(element("option", anyLabel));
  select.firstChild.value = "";
  for (const [value, label] of values) {
    const option = element("option", label);
    option.value = value;
    select.append(option);
  }
  select.value = current;
}

// Fill the country, admin1 and outcome choices from the API's facets (incident counts).
export function fillChoices(form, facets, filters, countryNames) {
  const countries = Object.entries(facets.countries || {})
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => [code, `${code ? `${countryNames.get(code) || code} (${code})` : "unknown"} – ${count}`])
    .filter(([code]) => code);
  fillSelect(form.country, "all countries", countries, filters.country);
  const admin1 = Object.entries((facets.admin1 || {})[filters.country] || {})
    .sort((a, b) => b[1] - a[1]).map(([name, count]) => [name, `${name} – ${count}`]);
  fillSelect(form.admin1, filters.country ? "all regions" : "choose a country first", admin1, filters.admin1);
  form.admin1.disabled = !filters.country;
  const outcomes = Object.entries(facets.outcomes || {})
    .sort((a, b) => b[1] - a[1]).map(([name, count]) => [name, `${name} – ${count}`]);
  fillSelect(form.outcome, "any toll", outcomes, filters.outcome);
}

export function showFilters(form, filters) {
  for (const name of ["from", "to", "reported"]) form[name].value = filters[name];
}

export function formFilters(form, previous) {
  const filters = {};
  for (const name of FILTERS) filters[name] = form[name].value || "";
  if (filters.country !== previous.country) filters.admin1 = "";
  return filters;
}

export function describeFilters(filters) {
  const parts = [];
  if (filters.country) parts.push(filters.country);
  if (filters.admin1) parts.push(filters.admin1);
  if (filters.outcome) parts.push(`with ${filters.outcome}`);
  if (filters.from || filters.to) parts.push(`incident day ${filters.from || "…"} to ${filters.to || "…"}`);
  if (filters.reported) parts.push(`reported in the ${REPORTED[filters.reported]}`);
  return parts.length ? parts.join(" · ") : "all incidents";
}
