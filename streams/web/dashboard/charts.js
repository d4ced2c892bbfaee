// The day series (bars per incident day on a real time axis: a day without incidents is a gap, a long quiet spell
// a long gap) and the ranked bar lists.

import { element, emptyNote, svgElement } from "./dom.js";

const DAY_MS = 86_400_000;
const SERIES_COUNTRIES = 5;
const COLOURS = ["#4a78c2", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#7f8c8d"];
const WIDTH = 900, HEIGHT = 230, LEFT = 44, RIGHT = 12, TOP = 12, BOTTOM = 28;
const MONTH_STEPS = [1, 3, 6, 12, 24, 60, 120];
const DAY_STEPS = [1, 2, 7, 14];

export function dayTime(day) {
  return Date.parse(`${day}T00:00:00Z`);
}

function isoDay(time) {
  return new Date(time).toISOString().slice(0, 10);
}

// Tick times between t0 and t1 (ms): whole days or weeks for short spans, month or year starts for long ones.
export function timeTicks(t0, t1, most = 8) {
  const days = (t1 - t0) / DAY_MS;
  const dayStep = DAY_STEPS.find((step) => days / step <= most);
  if (dayStep) {
    const ticks = [];
    for (let t = Math.ceil(t0 / DAY_MS / dayStep) * dayStep * DAY_MS; t <= t1; t += dayStep * DAY_MS) {
      ticks.push({ time: t, label: isoDay(t) });
    }
    return ticks;
  }
  const months = days / 30.44;
  const step = MONTH_STEPS.find((s) => months / s <= most) || MONTH_STEPS[MONTH_STEPS.length - 1];
  const start = new Date(t0);
  let year = start.getUTCFullYear(), month = Math.ceil((start.getUTCMonth() + (start.getUTCDate() > 1 ? 1 : 0)) / step) * step;
  const ticks = [];
  for (;;) {
    const t = Date.UTC(year + Math.floor(month / 12), month % 12, 1);
    if (t > t1) break;
    if (t >= t0) ticks.push({ time: t, label: step >= 12 ? isoDay(t).slice(0, 4) : isoDay(t).slice(0, 7) });
    month += step;
  }
  return ticks;
}

function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, value)));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((n) => n >= value);
}

// Days rows ({day, country, killed, injured}) as stacked bars of `metric` per day, one colour per leading country.
export function renderDaySeries(container, rows, metric) {
  const counted = rows.filter((row) => row[metric] > 0);
  if (!counted.length) {
    container.replaceChildren(emptyNote(`No ${metric} figures for these filters yet.`));
    return;
  }
  const byCountry = new Map();
  for (const row of counted) byCountry.set(row.country || "unknown", (byCountry.get(row.country || "unknown") || 0) + row[metric]);
  const leading = [...byCountry.entries()].sort((a, b) => b[1] - a[1]).slice(0, SERIES_COUNTRIES).map(([c]) => c);
  const group = (row) => (leading.includes(row.country || "unknown") ? row.country || "unknown" : "other");
  const groups = [...leading, ...(byCountry.size > leading.length ? ["other"] : [])];
  const perDay = new Map();
  for (const row of counted) {
    const stack = perDay.get(row.day) || new Map();
    stack.set(group(row), (stack.get(group(row)) || 0) + row[metric]);
    perDay.set(row.day, stack);
  }
  const times = [...perDay.keys()].map(dayTime);
  let t0 = Math.min(...times), t1 = Math.max(...times) + DAY_MS;
  if (t1 - t0 < 7 * DAY_MS) [t0, t1] = [t0 - 3 * DAY_MS, t1 + 3 * DAY_MS];
  const peak = niceCeiling(Math.max(...[...perDay.values()].map((stack) => [...stack.values()].reduce((a, b) => a + b, 0))));
  const plotWidth = WIDTH - LEFT - RIGHT, plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (t) => LEFT + ((t - t0) / (t1 - t0)) * plotWidth;
  const y = (v) => TOP + plotHeight - (v / peak) * plotHeight;
  const barWidth = Math.max(2, 0.8 * (plotWidth * DAY_MS) / (t1 - t0));
  const svg = svgElement("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": `${metric} per incident day` });
  svg.append(svgElement("line", { x1: LEFT, y1: TOP + plotHeight, x2: WIDTH - RIGHT, y2: TOP + plotHeight, class: "axis" }),
    svgElement("line", { x1: LEFT, y1: TOP, x2: LEFT, y2: TOP + plotHeight, class: "axis" }));
  for (const value of [0, peak / 2, peak]) {
    svg.append(svgElement("text", { x: LEFT - 6, y: y(value) + 4, "text-anchor": "end" }, value));
  }
  for (const tick of timeTicks(t0, t1)) {
    svg.append(svgElement("line", { x1: x(tick.time), y1: TOP + plotHeight, x2: x(tick.time), y2: TOP + plotHeight + 4, class: "axis" }),
      svgElement("text", { x: x(tick.time), y: HEIGHT - 8, "text-anchor": "middle", class: "tick" }, tick.label));
  }
  for (const [day, stack] of perDay) {
    let base = 0;
    for (const name of groups) {
      const value = stack.get(name);
      if (!value) continue;
      const bar = svgElement("rect", {
        x: x(dayTime(day) + DAY_MS / 2) - barWidth / 2, y: y(base + value), width: barWidth,
        height: y(base) - y(base + value), fill: COLOURS[groups.indexOf(name) % COLOURS.length], class: "bar",
      });
      bar.dataset.day = day;
      bar.append(svgElement("title", {}, `${day} · ${name}: ${value} ${metric}`));
      svg.append(bar);
      base += value;
    }
  }
  const legend = element("div", null, "legend");
  groups.forEach((name, index) => {
    const item = element("span", name);
    const swatch = element("span", null, "swatch");
    swatch.style.background = COLOURS[index % COLOURS.length];
    item.prepend(swatch);
    legend.append(item);
  });
  container.replaceChildren(svg, legend);
}

// A ranked list: rows of {name, count, title}; the bar's length is the count relative to the first.
export function renderBars(list, rows, emptyText) {
  if (!rows.length) {
    list.replaceChildren(element("li", emptyText, "empty"));
    return;
  }
  const peak = Math.max(...rows.map((row) => row.count));
  list.replaceChildren(...rows.map((row) => {
    const item = element("li");
    const bar = element("span", null, "bar");
    bar.style.width = `${Math.round((120 * row.count) / peak)}px`;
    item.append(bar, element("span", `${row.name} – ${row.count} ${row.unit}`));
    if (row.title) item.title = row.title;
    return item;
  }));
}
