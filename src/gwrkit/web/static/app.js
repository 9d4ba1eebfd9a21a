// gwrkit dashboard: one script, no inline code. Data comes from the read-only API and
// is put into the page as text (textContent), never as HTML.
"use strict";

const MET = "#2f855a", MISSED = "#c53030", GREY = "#9aa5b1";

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function chart(id) {
  const node = document.getElementById(id);
  if (!node || !window.echarts) return null;
  const c = echarts.init(node, null, { renderer: "canvas" });
  window.addEventListener("resize", () => c.resize());
  return c;
}

function message(id, text) {
  const node = document.getElementById(id);
  if (node) { node.textContent = text; node.classList.add("empty"); }
}

// -- overview: reports by plan year and level --------------------------------------
async function overview() {
  const data = await getJSON("/api/overview");
  const years = [...new Set(data.by_year.filter(r => r.year).map(r => r.year))].sort((a, b) => a - b);
  const levels = [...new Set(data.by_year.map(r => r.level))];
  const series = levels.map(level => ({
    name: level, type: "bar", stack: "reports",
    data: years.map(y => (data.by_year.find(r => r.year === y && r.level === level) || { reports: 0 }).reports),
  }));
  const c = chart("chart-years");
  if (c) c.setOption({ tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 40, bottom: 30 },
                       xAxis: { type: "category", data: years }, yAxis: { type: "value" }, series });
}

// -- report page: a figure clicked marks its span in the text ------------------------
function report() {
  const text = document.getElementById("report-text");
  function activate(id, scroll) {
    document.querySelectorAll(".active").forEach(n => n.classList.remove("active"));
    const pieces = text.querySelectorAll(`[data-fig~="${CSS.escape(String(id))}"]`);
    pieces.forEach(n => n.classList.add("active"));
    document.querySelectorAll(`tr.figrow[data-fig="${CSS.escape(String(id))}"]`).forEach(n => n.classList.add("active"));
    if (scroll && pieces.length) pieces[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }
  document.querySelectorAll("tr.figrow").forEach(row => {
    row.addEventListener("click", () => activate(row.dataset.fig, true));
    row.addEventListener("keydown", e => { if (e.key === "Enter") activate(row.dataset.fig, true); });
  });
  text.addEventListener("click", e => {
    const piece = e.target.closest("[data-fig]");
    if (piece) activate(piece.dataset.fig.split(" ")[0], false);
  });
  document.querySelectorAll("[data-goto]").forEach(a => a.addEventListener("click", e => {
    e.preventDefault();
    const at = Number(a.dataset.goto);
    // find the text node that holds offset `at` and scroll to it
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      if (seen + node.length > at) { node.parentElement.scrollIntoView({ block: "start" }); break; }
      seen += node.length;
    }
  }));
  const hit = document.getElementById("hit");
  if (hit) hit.scrollIntoView({ block: "center" });
}

// -- scorecard ---------------------------------------------------------------------
async function scorecard() {
  const box = document.getElementById("scorecard");
  const d = box.dataset;
  const base = new URLSearchParams({ indicator: d.indicator, metric: d.metric, limit: "1000" });
  for (const fmt of ["csv", "parquet", "json"]) {
    const q = new URLSearchParams(base);
    if (d.region) q.set("region", d.region); else if (d.level) q.set("level", d.level);
    if (d.province) q.set("province", d.province);
    if (fmt !== "json") q.set("format", fmt);
    document.getElementById(`dl-${fmt}`).href = `/api/scorecard?${q}`;
  }
  // one government over the years (the first with targets, when none is named)
  const level = new URLSearchParams(base);
  if (d.level) level.set("level", d.level);
  if (d.province) level.set("province", d.province);
  const all = (await getJSON(`/api/scorecard?${level}`)).items;
  const region = d.region || (all.find(r => r.target_value !== null) || {}).region;
  const own = region ? (await getJSON(`/api/scorecard?${new URLSearchParams({ ...Object.fromEntries(base), region })}`)).items
                          .filter(r => r.region === region || r.region.includes(region)) : [];
  document.getElementById("series-title").textContent = `${region || "—"}: ${d.indicator} ${d.metric}, target and outcome`;
  const years = own.map(r => r.year);
  const c1 = chart("chart-series");
  if (c1) c1.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 45, right: 15, top: 40, bottom: 30 },
    xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true },
    series: [
      { name: "target", type: "line", step: false, data: own.map(r => r.target_value), symbolSize: 8 },
      { name: "outcome", type: "line", data: own.map(r => r.outcome_value), symbolSize: 8,
        itemStyle: { color: "#1d4ed8" } },
      { name: "verdict", type: "scatter", data: own.map(r => r.outcome_value), symbolSize: 14,
        itemStyle: { color: p => ({ met: MET, missed: MISSED })[own[p.dataIndex].verdict] || GREY } },
    ],
  });
  // all governments of the level (or the province) for one year: met or missed
  const graded = all.filter(r => r.verdict !== "not_gradable").map(r => r.year);
  const year = Number(d.year) || (graded.length ? Math.max(...graded) : null);
  const rows = year === null ? [] : all.filter(r => r.year === year).sort((a, b) => (b.gap ?? -1e9) - (a.gap ?? -1e9));
  const met = rows.filter(r => r.verdict === "met").length, missed = rows.filter(r => r.verdict === "missed").length;
  document.getElementById("grid-title").textContent = year === null ? "No graded targets for this choice"
    : `${year}: outcome minus target — ${met} met, ${missed} missed, ${rows.length - met - missed} not gradable`;
  const c2 = chart("chart-grid");
  if (c2) c2.setOption({
    tooltip: {}, grid: { left: 45, right: 15, bottom: 90 },
    xAxis: { type: "category", data: rows.map(r => r.region), axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
    yAxis: { type: "value", name: "gap" },
    series: [{ type: "bar", data: rows.map(r => ({ value: r.gap, itemStyle: {
      color: ({ met: MET, missed: MISSED })[r.verdict] || GREY } })) }],
  });
  const body = document.querySelector("#scorecard-table tbody");
  for (const r of (d.region ? own : rows)) {
    const tr = el("tr");
    tr.append(el("td", r.region), el("td", r.year),
              el("td", r.target_value === null ? "" : `${r.target_value}${r.target_high !== null ? "–" + r.target_high : ""}`),
              el("td", r.modifier), el("td", r.outcome_value ?? ""), el("td", r.verdict, { class: r.verdict }),
              el("td", r.gap ?? ""));
    const src = el("td");
    if (r.target_report_id) src.append(el("a", "target", { href: `/reports/${r.target_report_id}?at=${r.target_start}-${r.target_end}#hit` }));
    if (r.outcome_report_id) { src.append(" · "); src.append(el("a", "outcome", { href: `/reports/${r.outcome_report_id}?at=${r.outcome_start}-${r.outcome_end}#hit` })); }
    tr.append(src);
    body.append(tr);
  }
}

// -- attention ---------------------------------------------------------------------
async function attention() {
  const topic = document.getElementById("attention").dataset.topic;
  const trend = (await getJSON(`/api/attention?${new URLSearchParams({ topic, by: "year,level", limit: "1000" })}`)).items
                  .filter(r => r.year);
  const years = [...new Set(trend.map(r => r.year))].sort((a, b) => a - b);
  const levels = [...new Set(trend.map(r => r.level))].filter(Boolean);
  const c1 = chart("chart-trend");
  if (c1) c1.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 45, right: 15, top: 40, bottom: 30 },
    xAxis: { type: "category", data: years }, yAxis: { type: "value", name: "per 10k" },
    series: levels.map(level => ({ name: level, type: "line", connectNulls: true,
      data: years.map(y => (trend.find(r => r.year === y && r.level === level) || { per_10k: null }).per_10k) })),
  });
  const heat = (await getJSON(`/api/attention?${new URLSearchParams({ topic, by: "province,year", level: "province", limit: "1000" })}`)).items
                 .filter(r => r.year && r.province);
  const provinces = [...new Set(heat.map(r => r.province))].sort();
  const hy = [...new Set(heat.map(r => r.year))].sort((a, b) => a - b);
  const values = heat.map(r => [hy.indexOf(r.year), provinces.indexOf(r.province), r.per_10k]);
  const max = Math.max(1, ...heat.map(r => r.per_10k || 0));
  const c2 = chart("chart-heat");
  if (c2) c2.setOption({
    tooltip: { formatter: p => `${provinces[p.value[1]]} ${hy[p.value[0]]}: ${p.value[2]}` },
    grid: { left: 110, right: 20, top: 10, bottom: 70 },
    xAxis: { type: "category", data: hy }, yAxis: { type: "category", data: provinces, axisLabel: { fontSize: 10 } },
    visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
    series: [{ type: "heatmap", data: values }],
  });
}

// -- reuse -------------------------------------------------------------------------
async function reuse() {
  const scope = document.getElementById("reuse").dataset.scope;
  const pairs = (await getJSON(`/api/reuse?${new URLSearchParams({ scope, limit: "200" })}`)).items;
  const top = pairs.slice(0, 25);
  const c = chart("chart-reuse");
  if (c) c.setOption({
    tooltip: {}, grid: { left: 220, right: 20, top: 10, bottom: 30 },
    xAxis: { type: "value", name: "shared chars" },
    yAxis: { type: "category", inverse: true, data: top.map(p => `${p.region_a} ${p.year_a ?? ""} → ${p.region_b} ${p.year_b ?? ""}`),
             axisLabel: { fontSize: 10 } },
    series: [{ type: "bar", data: top.map(p => p.shared_chars), itemStyle: { color: "#b42318" } }],
  });
  const body = document.querySelector("#reuse-table tbody");
  for (const p of pairs) {
    const tr = el("tr");
    const cmp = el("td");
    cmp.append(el("a", "compare", { href: `/compare?a=${p.report_a}&b=${p.report_b}` }));
    tr.append(el("td", `${p.region_a} ${p.year_a ?? ""}`), el("td", `${p.region_b} ${p.year_b ?? ""}`),
              el("td", p.relation), el("td", p.similarity), el("td", p.shared_chars), cmp);
    body.append(tr);
  }
}

const PAGES = { overview, report, scorecard, attention, reuse };

document.addEventListener("DOMContentLoaded", () => {
  const run = PAGES[document.body.dataset.page];
  if (run) Promise.resolve(run()).catch(err => { console.warn("gwrkit:", err.message); });
});
