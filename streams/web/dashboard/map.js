// The incident map: Natural Earth country outlines shipped with the dashboard (world-110m.json, made by
// scripts/make-basemap) in a plate carree frame (x = 10 * longitude, y = -10 * latitude), one circle per incident at
// its place's coordinates, sized by toll (killed + injured, area proportional) and coloured by outcome, the view
// fitted to the points.

import { element, emptyNote, outlets, placeLabel, svgElement, tollText } from "./dom.js";

const BASEMAP = "/dashboard/static/world-110m.json";
const SCALE = 10;
const WORLD = { x: -1800, y: -840, width: 3600, height: 1440 }; // 84° N to 60° S
const MIN_SPAN = 200; // 20 degrees: a single point is shown with its surroundings
const MAX_RADIUS = 22;

export function outcomeOf(incident) {
  if (incident.killed && incident.killed.min) return "killed";
  if (incident.injured && incident.injured.min) return "injured";
  return "other";
}

export function tollOf(incident) {
  return ((incident.killed || {}).min || 0) + ((incident.injured || {}).min || 0);
}

function radiusPixels(toll) {
  return Math.min(MAX_RADIUS, 4 + 2.2 * Math.sqrt(toll));
}

function located(incident) {
  const place = incident.place || {};
  return typeof place.lat === "number" && typeof place.lon === "number";
}

// The view box holding every point, padded, no smaller than MIN_SPAN, widened to the drawing's aspect ratio.
export function fitView(points, aspect) {
  if (!points.length) return { ...WORLD };
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max(30, 0.15 * Math.max(x1 - x0, y1 - y0));
  let width = Math.max(MIN_SPAN, x1 - x0 + 2 * pad), height = Math.max(MIN_SPAN / aspect, y1 - y0 + 2 * pad);
  if (width / height < aspect) width = height * aspect;
  else height = width / aspect;
  width = Math.min(width, WORLD.width * 1.2);
  height = Math.min(height, width / aspect);
  return { x: (x0 + x1 - width) / 2, y: (y0 + y1 - height) / 2, width, height };
}

export class IncidentMap {
  constructor(container, { onSelect, onCountry }) {
    this.container = container;
    this.onSelect = onSelect;
    this.onCountry = onCountry;
    this.svg = svgElement("svg", { role: "img", "aria-label": "map of incidents", id: "map-svg" });
    this.countries = svgElement("g", { class: "countries" });
    this.points = svgElement("g", { class: "points" });
    this.svg.append(this.countries, this.points);
    this.tip = element("div", null, "map-tip");
    this.tip.hidden = true;
    this.note = element("p", null, "note");
    container.replaceChildren(this.svg, this.tip, this.note);
    this.incidents = [];
    this.countryNames = new Map();
    this.basemapState = "loading";
  }

  async loadBasemap() {
    try {
      const response = await fetch(BASEMAP);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const basemap = await response.json();
      for (const country of basemap.countries) {
        const path = svgElement("path", { d: country.d, class: "country" });
        if (country.code) {
          path.dataset.code = country.code;
          this.countryNames.set(country.code, country.name);
          path.addEventListener("click", () => this.onCountry(country.code));
        }
        path.append(svgElement("title", {}, country.code ? `${country.name} (${country.code})` : country.name));
        this.countries.append(path);
      }
      this.basemapState = "loaded";
    } catch (error) {
      this.basemapState = `basemap unavailable (${error.message}): points only`;
    }
    this.render(this.incidents);
  }

  render(incidents) {
    this.incidents = incidents;
    const shown = incidents.filter(located).map((incident) => ({
      incident,
      x: incident.place.lon * SCALE,
      y: -incident.place.lat * SCALE,
      toll: tollOf(incident),
    }));
    const box = this.svg.getBoundingClientRect();
    const aspect = box.width > 0 && box.height > 0 ? box.width / box.height : 2.4;
    const view = fitView(shown, aspect);
    this.svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.width} ${view.height}`);
    const unitsPerPixel = box.width > 0 ? Math.max(view.width / box.width, view.height / box.height) : view.width / 1000;
    const countries = new Set(incidents.map((incident) => incident.place && incident.place.country).filter(Boolean));
    for (const path of this.countries.children) path.classList.toggle("has-incidents", countries.has(path.dataset.code));
    this.points.replaceChildren(...shown.sort((a, b) => b.toll - a.toll).map((p) => this.point(p, unitsPerPixel)));
    this.renderNote(incidents.length, shown.length);
  }

  point({ incident, x, y, toll }, unitsPerPixel) {
    const circle = svgElement("circle", {
      cx: x, cy: y, r: radiusPixels(toll) * unitsPerPixel, class: `point ${outcomeOf(incident)}`, tabindex: 0,
      role: "button", "aria-label": `${placeLabel(incident)}: ${tollText(incident.killed)} killed`,
    });
    circle.dataset.incidentId = incident.id;
    circle.append(svgElement("title", {}, `${placeLabel(incident)} – ${incident.day || "day unknown"}`));
    circle.addEventListener("click", () => this.onSelect(incident.id));
    circle.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") this.onSelect(incident.id);
    });
    circle.addEventListener("mouseenter", (event) => this.showTip(incident, event));
    circle.addEventListener("focus", (event) => this.showTip(incident, event));
    circle.addEventListener("mouseleave", () => { this.tip.hidden = true; });
    circle.addEventListener("blur", () => { this.tip.hidden = true; });
    return circle;
  }

  showTip(incident, event) {
    const names = outlets(incident);
    const reports = (incident.sources || []).length;
    this.tip.replaceChildren(
      element("b", placeLabel(incident)),
      element("div", `${incident.day || "day unknown"} · killed ${tollText(incident.killed)} · injured ${tollText(incident.injured)}`),
      element("div", `${reports} report(s): ${names.slice(0, 4).join(", ") || "outlet not named"}${names.length > 4 ? " …" : ""}`),
      element("div", "click for the reports and evidence", "hint"),
    );
    const frame = this.container.getBoundingClientRect();
    const target = event.target.getBoundingClientRect();
    this.tip.style.left = `${Math.min(frame.width - 260, Math.max(0, target.right - frame.left + 6))}px`;
    this.tip.style.top = `${Math.max(0, target.top - frame.top - 6)}px`;
    this.tip.hidden = false;
  }

  renderNote(total, mapped) {
    const parts = [];
    if (this.basemapState !== "loaded" && this.basemapState !== "loading") parts.push(this.basemapState);
    if (!total) parts.push("No incidents match these filters yet.");
    else if (mapped < total) parts.push(`${mapped} of ${total} incidents mapped; ${total - mapped} have no coordinates (listed below).`);
    else parts.push(`${mapped} incident(s) mapped.`);
    this.note.replaceChildren(...parts.map((text) => (total ? element("span", `${text} `) : emptyNote(text))));
  }
}
