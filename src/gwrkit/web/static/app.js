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
  // a chart that has nothing to draw says why instead of showing empty axes
  const node = document.getElementById(id);
  if (!node) return;
  if (window.echarts) { const c = echarts.getInstanceByDom(node); if (c) c.dispose(); }
  node.replaceChildren(el("p", text, { class: "empty-note" }));
}

function esc(text) {
  // ECharts tooltips are HTML: names from the data go in escaped
  return String(text).replace(/[&<>"']/g, ch => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
}

async function getAll(path, params) {
  // every page of a list (the API pages at most a few thousand rows at a time)
  const items = [];
  for (let offset = 0; ; ) {
    const page = await getJSON(`${path}?${new URLSearchParams({ ...params, limit: "5000", offset: String(offset) })}`);
    items.push(...page.items);
    offset += page.items.length;
    if (!page.items.length || offset >= page.total) return items;
  }
}

function yearRange(years) {
  // every year from the first to the last, so that gaps stay visible on the axis
  const ys = years.filter(y => y !== null && y !== undefined);
  if (!ys.length) return [];
  const out = [];
  for (let y = Math.min(...ys); y <= Math.max(...ys); y++) out.push(y);
  return out;
}

// -- overview: reports by plan year and level --------------------------------------
async function overview() {
  const data = await getJSON("/api/overview");
  const years = yearRange(data.by_year.map(r => r.year));
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
      if (seen + node.length > at) {
        const range = document.createRange();
        range.setStart(node, Math.max(0, at - seen));
        text.scrollTop += range.getBoundingClientRect().top - text.getBoundingClientRect().top - 8;
        text.scrollIntoView({ block: "start" });
        break;
      }
      seen += node.length;
    }
  }));
  const hit = document.getElementById("hit");
  if (hit) {
    text.scrollTop += hit.getBoundingClientRect().top - text.getBoundingClientRect().top - text.clientHeight / 3;
    text.scrollIntoView({ block: "start" });
  }
}

// -- scorecard ---------------------------------------------------------------------
function verdictColor(v) { return ({ met: MET, missed: MISSED })[v] || GREY; }

async function scorecard() {
  const d = document.getElementById("scorecard").dataset;
  const base = { indicator: d.indicator, metric: d.metric };
  const scope = { ...base };
  if (d.level) scope.level = d.level;
  if (d.province) scope.province = d.province;
  for (const fmt of ["csv", "parquet", "json"]) {
    const q = new URLSearchParams({ ...(d.region ? { ...base, region: d.region } : scope), limit: "100000" });
    if (fmt !== "json") q.set("format", fmt);
    document.getElementById(`dl-${fmt}`).href = `/api/scorecard?${q}`;
  }
  let all;
  try { all = await getAll("/api/scorecard", scope); } catch (err) {
    message("chart-series", err.message); message("chart-grid", err.message); return;
  }
  // one government over the years: the one named (exact name first), else the first with targets
  let own = [];
  if (d.region) {
    const found = await getAll("/api/scorecard", { ...base, region: d.region });
    const exact = found.find(r => r.region === d.region) || found[0];
    own = exact ? found.filter(r => r.region_code === exact.region_code) : [];
  } else {
    const first = all.find(r => r.target_value !== null);
    own = first ? all.filter(r => r.region_code === first.region_code) : [];
  }
  const title = document.getElementById("series-title");
  if (!own.length) {
    title.textContent = "One government over the years";
    message("chart-series", d.region ? `No ${d.indicator} ${d.metric} targets for a government named like “${d.region}”.`
                                     : "No targets for this choice.");
  } else {
    title.textContent = `${own[0].region}: ${d.indicator} ${d.metric}, target and outcome`;
    const years = yearRange(own.map(r => r.year));
    const at = y => own.find(r => r.year === y) || {};
    const c1 = chart("chart-series");
    if (c1) c1.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 45, right: 15, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true },
      series: [
        { name: "target", type: "line", data: years.map(y => at(y).target_value ?? null), symbolSize: 8 },
        { name: "outcome", type: "line", data: years.map(y => at(y).outcome_value ?? null), symbolSize: 12,
          itemStyle: { color: p => verdictColor(at(years[p.dataIndex]).verdict) }, lineStyle: { color: "#1d4ed8" } },
      ],
    });
  }
  // all governments of the level (or the province) in one year: met or missed
  const graded = all.filter(r => r.verdict !== "not_gradable").map(r => r.year);
  const year = Number(d.year) || (graded.length ? Math.max(...graded) : null);
  const rows = year === null ? [] : all.filter(r => r.year === year).sort((a, b) => (b.gap ?? -1e9) - (a.gap ?? -1e9));
  const met = rows.filter(r => r.verdict === "met").length, missed = rows.filter(r => r.verdict === "missed").length;
  document.getElementById("grid-title").textContent = year === null ? "Met or missed, one year"
    : `${year}: outcome minus target — ${met} met, ${missed} missed, ${rows.length - met - missed} not gradable`;
  if (!rows.length) message("chart-grid", "No graded targets for this choice.");
  else {
    const c2 = chart("chart-grid");
    if (c2) c2.setOption({
      tooltip: { formatter: p => `${esc(rows[p.dataIndex].region)}: ${esc(rows[p.dataIndex].verdict)}, gap ${p.value ?? "—"}` },
      grid: { left: 45, right: 15, top: 30, bottom: 90 },
      xAxis: { type: "category", data: rows.map(r => r.region),
               axisLabel: { rotate: 60, interval: rows.length > 60 ? "auto" : 0, fontSize: 10 } },
      yAxis: { type: "value", name: "gap" },
      series: [{ type: "bar", data: rows.map(r => ({ value: r.gap, itemStyle: { color: verdictColor(r.verdict) } })) }],
    });
  }
  const body = document.querySelector("#scorecard-table tbody");
  for (const r of (d.region ? own : rows)) {
    const tr = el("tr");
    tr.append(el("td", r.region), el("td", r.year),
              el("td", r.target_value === null ? "" : `${r.target_value}${r.target_high !== null ? "–" + r.target_high : ""}`),
              el("td", r.modifier), el("td", r.outcome_value ?? ""), el("td", r.verdict, { class: r.verdict }),
              el("td", r.gap ?? ""));
    const src = el("td");
    if (r.target_report_id) src.append(el("a", "target", { href: `/reports/${r.target_report_id}?at=${r.target_start}-${r.target_end}` }));
    if (r.outcome_report_id) { src.append(" · "); src.append(el("a", "outcome", { href: `/reports/${r.outcome_report_id}?at=${r.outcome_start}-${r.outcome_end}` })); }
    tr.append(src);
    body.append(tr);
  }
}

// -- attention ---------------------------------------------------------------------
async function attention() {
  const topic = document.getElementById("attention").dataset.topic;
  let trend, heat;
  try {
    trend = (await getAll("/api/attention", { topic, by: "year,level" })).filter(r => r.year);
    heat = (await getAll("/api/attention", { topic, by: "province,year", level: "province" })).filter(r => r.year && r.province);
  } catch (err) { message("chart-trend", err.message); message("chart-heat", err.message); return; }
  const years = yearRange(trend.map(r => r.year));
  const levels = [...new Set(trend.map(r => r.level))].filter(Boolean);
  if (!trend.length) message("chart-trend", "No reports with a plan year.");
  else {
    const c1 = chart("chart-trend");
    if (c1) c1.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 45, right: 15, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value", name: "per 10k" },
      series: levels.map(level => ({ name: level, type: "line", connectNulls: false,
        data: years.map(y => (trend.find(r => r.year === y && r.level === level) || { per_10k: null }).per_10k) })),
    });
  }
  const provinces = [...new Set(heat.map(r => r.province))].sort();
  const hy = yearRange(heat.map(r => r.year));
  if (!heat.length) { message("chart-heat", "No provincial reports."); return; }
  const values = heat.map(r => [hy.indexOf(r.year), provinces.indexOf(r.province), r.per_10k]);
  const max = Math.max(1, ...heat.map(r => r.per_10k || 0));
  const c2 = chart("chart-heat");
  if (c2) c2.setOption({
    tooltip: { formatter: p => `${esc(provinces[p.value[1]])} ${hy[p.value[0]]}: ${p.value[2]}` },
    grid: { left: 110, right: 20, top: 10, bottom: 70 },
    xAxis: { type: "category", data: hy }, yAxis: { type: "category", data: provinces, axisLabel: { fontSize: 10 } },
    visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
    series: [{ type: "heatmap", data: values }],
  });
}

// -- reuse -------------------------------------------------------------------------
function pairLabel(p) {
  const a = `${p.region_a} ${p.year_a ?? ""}`.trim(), b = `${p.region_b} ${p.year_b ?? ""}`.trim();
  return p.direction === "a->b" ? `${a} → ${b}` : `${a} ↔ ${b}`;
}

async function reuse() {
  const scope = document.getElementById("reuse").dataset.scope;
  message("chart-reuse", "Finding reused text… (the first time on a large database takes a while)");
  let pairs;
  try { pairs = (await getJSON(`/api/reuse?${new URLSearchParams({ scope, limit: "200" })}`)).items; }
  catch (err) { message("chart-reuse", err.message); return; }
  if (!pairs.length) { message("chart-reuse", "No reused paragraphs between these reports."); return; }
  document.getElementById("chart-reuse").replaceChildren();
  const top = pairs.slice(0, 25);
  const narrow = window.innerWidth < 600;
  const c = chart("chart-reuse");
  if (c) c.setOption({
    tooltip: { formatter: p => `${esc(pairLabel(top[p.dataIndex]))}: ${p.value} characters` },
    grid: { left: narrow ? 10 : 230, right: 20, top: 10, bottom: 30, containLabel: narrow },
    xAxis: { type: "value", name: "shared chars" },
    yAxis: { type: "category", inverse: true, data: top.map(pairLabel),
             axisLabel: { fontSize: 10, width: narrow ? 120 : 220, overflow: "truncate" } },
    series: [{ type: "bar", data: top.map(p => p.shared_chars), itemStyle: { color: "#b42318" } }],
  });
  const body = document.querySelector("#reuse-table tbody");
  for (const p of pairs) {
    const tr = el("tr");
    const cmp = el("td");
    cmp.append(el("a", "compare", { href: `/compare?a=${p.report_a}&b=${p.report_b}` }));
    tr.append(el("td", `${p.region_a} ${p.year_a ?? ""}`), el("td", `${p.region_b} ${p.year_b ?? ""}`),
              el("td", p.direction === "a->b" ? p.relation : `${p.relation} (order unknown)`),
              el("td", p.similarity), el("td", p.shared_chars), cmp);
    body.append(tr);
  }
}

const PAGES = { overview, report, scorecard, attention, reuse };

document.addEventListener("DOMContentLoaded", () => {
  const run = PAGES[document.body.dataset.page];
  if (run) Promise.resolve(run()).catch(err => { console.warn("gwrkit:", err.message); });
});
