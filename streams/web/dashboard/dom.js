// DOM and fetch helpers. All text goes in through textContent (article text may carry markup); links are kept only
// when they are http(s).

const SVG_NS = "http://www.w3.org/2000/svg";

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function svgElement(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

// A link when the url is http(s), else plain text.
export function linkOrText(text, url) {
  const href = safeUrl(url);
  if (!href) return element("span", text);
  const link = element("a", text);
  link.href = href;
  link.rel = "noopener noreferrer";
  link.target = "_blank";
  return link;
}

export class HttpError extends Error {
  constructor(path, status) {
    super(`${path}: HTTP ${status}`);
    this.status = status;
  }
}

export async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new HttpError(path, response.status);
  return response.json();
}

export function emptyNote(text) {
  return element("p", text, "empty");
}

// {min, max} as "12", "12–15", "≥ 13" (no upper bound) or "–" (no report states it).
export function tollText(toll) {
  if (!toll || (!toll.min && !toll.max)) return "–";
  if (toll.max === null || toll.max === undefined) return `≥ ${toll.min}`;
  return toll.min === toll.max ? String(toll.min) : `${toll.min}–${toll.max}`;
}

export function sum(values) {
  return Object.values(values || {}).reduce((a, b) => a + b, 0);
}

export function admin1Name(place) {
  const region = (place && place.admin1) || {};
  return region.name || region.code || null;
}

export function incidentCountry(incident) {
  const region = String(incident.region || "").split("/")[0];
  return (incident.place && incident.place.country) || (region && region !== "unknown" ? region : null);
}

// "Kabul, Kabul Province, AF" from the incident's place, else its region.
export function placeLabel(incident) {
  const place = incident.place;
  if (!place) return incident.region && incident.region !== "unknown" ? incident.region : "place unknown";
  return [place.name, admin1Name(place) !== place.name ? admin1Name(place) : null, place.country]
    .filter(Boolean).join(", ");
}

export function outlets(incident) {
  return [...new Set((incident.sources || []).map((source) => source.source).filter(Boolean))];
}
