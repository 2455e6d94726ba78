// Shared by the HTML reports (issue 14): DOM helpers that only ever set text (never markup
// from the data), plot set-up, and the status line the browser test reads.
"use strict";
const R = {
  data: JSON.parse(document.getElementById("referee-data").textContent),
  main: document.getElementById("referee-main"),
  plots: 0,
  statusColor: { accepted: "#2e7d32", evaluated: "#1976d2", rejected: "#9aa5b1",
                 quarantined: "#8e24aa", lost: "#795548", queued: "#f9a825", running: "#f9a825",
                 pass: "#2e7d32", fail: "#ef6c00", skip: "#bcccdc", hack: "#d32f2f" },
};

// For ECharts tooltips, which are HTML: everything from the data goes through here.
R.esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
                                                     '"': "&quot;", "'": "&#39;" })[c]);

// el("td", {class: "num"}, "text", childNode, ...): strings become text nodes.
R.el = function (tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
  return e;
};

R.panel = function (title, hint) {
  const s = R.el("section", { class: "panel" }, R.el("h2", {}, title));
  if (hint) s.appendChild(R.el("p", { class: "hint" }, hint));
  R.main.appendChild(s);
  return s;
};

R.card = (label, value, sub) => R.el("div", { class: "card" }, R.el("div", { class: "label" }, label),
                                     R.el("div", { class: "value" }, value),
                                     sub ? R.el("div", { class: "sub" }, sub) : null);

R.table = function (headers, rows, numeric) {
  const t = R.el("table", {}, R.el("tr", {}, ...headers.map((h) => R.el("th", {}, h))));
  for (const row of rows) {
    t.appendChild(R.el("tr", {}, ...row.map((c, i) =>
      R.el("td", numeric && numeric[i] ? { class: "num" } : {}, c))));
  }
  return t;
};

R.badge = (text, color) => R.el("span", { class: "badge", style: "background:" + color }, text);
R.link = (id) => R.el("a", { href: "#c" + Number(id) }, "#" + Number(id));

R.time = function (s) {
  if (typeof s !== "number" || !isFinite(s)) return "-";
  if (s < 1e-3) return (s * 1e6).toFixed(2) + " µs";
  if (s < 1) return (s * 1e3).toFixed(3) + " ms";
  return s.toFixed(3) + " s";
};
R.num = (x, d) => (typeof x === "number" && isFinite(x) ? x.toFixed(d) : "-");

// A plot in a new container; the option is the library's, animation off so that a screenshot
// shows the finished picture.
R.plot = function (parent, option, cls) {
  const div = R.el("div", { class: "plot" + (cls ? " " + cls : "") });
  parent.appendChild(div);
  const chart = echarts.init(div, null, { renderer: "canvas" });
  chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "system-ui, sans-serif" } },
                                option));
  window.addEventListener("resize", () => chart.resize());
  R.plots += 1;
  return chart;
};

// Equal-width bins over [min, q3 + 3 IQR] (a few slow outliers would otherwise squeeze every
// other sample into one bin): {bins: [[centre, count], ...], lo, hi, outliers}.
R.histogram = function (xs, bins) {
  const sorted = [...xs].sort((a, b) => a - b), q = (f) => sorted[Math.floor(f * (sorted.length - 1))];
  const iqr = q(0.75) - q(0.25), max = sorted[sorted.length - 1];
  const lo = sorted[0], hi = iqr > 0 ? Math.min(max, q(0.75) + 3 * iqr) : max;
  const n = Math.max(1, Math.min(bins, Math.ceil(Math.sqrt(xs.length)) * 2));
  const w = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array(n).fill(0);
  let outliers = 0;
  for (const x of sorted) {
    if (x > hi) { outliers += 1; continue; }
    counts[Math.min(n - 1, Math.floor((x - lo) / w))] += 1;
  }
  return { bins: counts.map((c, i) => [lo + (i + 0.5) * w, c]), lo, hi: lo + n * w, outliers };
};

// A histogram of timing samples (seconds), drawn in the unit that suits them; marks outside
// the histogram's range are left out (the tables give every number).
R.samplesPlot = function (parent, title, samples, marks, cls) {
  const scale = R.median(samples) < 1e-3 ? 1e6 : 1e3, unit = scale === 1e6 ? "µs" : "ms";
  const h = R.histogram(samples.map((s) => s * scale), 40);
  const places = ["insideEndTop", "insideEndBottom", "insideMiddleTop"];
  const lines = (marks || []).filter((m) => typeof m.value === "number" && m.value * scale >= h.lo &&
                                            m.value * scale <= h.hi)
    .map((m, i) => ({ xAxis: m.value * scale, name: m.name, lineStyle: { color: m.color, width: 2 },
                      label: { formatter: m.name, color: m.color, position: places[i % 3] } }));
  return R.plot(parent, {
    title: { text: title + (h.outliers ? " · " + h.outliers + " slow outlier(s) off the right" : ""),
             left: "center", textStyle: { fontSize: 12 } },
    grid: { left: 48, right: 18, top: 34, bottom: 42 },
    tooltip: { trigger: "axis", formatter: (p) => R.esc(p[0].value[0].toFixed(2) + " " + unit +
                                                       ": " + p[0].value[1] + " samples") },
    xAxis: { type: "value", name: unit, nameLocation: "middle", nameGap: 24, min: h.lo, max: h.hi,
             axisLabel: { formatter: (v) => +v.toPrecision(3), showMinLabel: false, showMaxLabel: false } },
    yAxis: { type: "value", name: "samples", minInterval: 1 },
    series: [{ type: "bar", data: h.bins, barWidth: "96%", itemStyle: { color: "#4e79a7" },
               markLine: { symbol: "none", data: lines } }],
  }, cls);
};

R.median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

// Runs the page's renderer; the browser test reads the outcome from #referee-status and from
// data-rendered on <body>.
R.run = function (render) {
  const status = document.getElementById("referee-status");
  try {
    render();
    status.textContent = "rendered " + R.plots + " plots · generated by referee";
    document.body.setAttribute("data-rendered", "ok");
    document.body.setAttribute("data-plots", String(R.plots));
  } catch (e) {
    status.textContent = "error: " + e;
    document.body.setAttribute("data-rendered", "error");
    throw e;
  }
};
window.addEventListener("error", (e) => {
  document.body.setAttribute("data-rendered", "error");
  document.getElementById("referee-status").textContent = "error: " + e.message;
});
