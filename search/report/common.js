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

// Equal-width bins over [min, max]: [[centre, count], ...] and the bin width.
R.histogram = function (xs, bins) {
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const n = Math.max(1, Math.min(bins, Math.ceil(Math.sqrt(xs.length)) * 2));
  const w = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array(n).fill(0);
  for (const x of xs) counts[Math.min(n - 1, Math.floor((x - lo) / w))] += 1;
  return { width: w, bins: counts.map((c, i) => [lo + (i + 0.5) * w, c]) };
};

// A histogram of timing samples (seconds), drawn in the unit that suits them.
R.samplesPlot = function (parent, title, samples, marks, cls) {
  const scale = Math.max(...samples) < 1e-3 ? 1e6 : 1e3, unit = scale === 1e6 ? "µs" : "ms";
  const h = R.histogram(samples.map((s) => s * scale), 40);
  const lines = (marks || []).filter((m) => typeof m.value === "number")
    .map((m) => ({ xAxis: m.value * scale, name: m.name, lineStyle: { color: m.color, width: 2 },
                   label: { formatter: m.name, color: m.color } }));
  return R.plot(parent, {
    title: { text: title, left: "center", textStyle: { fontSize: 12 } },
    grid: { left: 48, right: 18, top: 34, bottom: 36 },
    tooltip: { trigger: "axis", formatter: (p) => R.esc(p[0].value[0].toFixed(2) + " " + unit +
                                                       ": " + p[0].value[1] + " samples") },
    xAxis: { type: "value", name: unit, nameLocation: "end", scale: true },
    yAxis: { type: "value", name: "samples" },
    series: [{ type: "bar", data: h.bins, barWidth: "96%", itemStyle: { color: "#4e79a7" },
               markLine: { symbol: "none", data: lines } }],
  }, cls);
};

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
