// `referee eval --format html` (issue 14): one evaluation report (docs/schema/eval.schema.json)
// as samples histograms, a per-workload table and each workload's roofline position.
"use strict";
const rep = R.data.report, W = rep.workloads || [];
const verdictColor = (v) => (v === "PASS" ? "#2e7d32" : v === "REJECTED" || v === "FAIL" ? "#d32f2f" : "#ef6c00");

function summary() {
  const speedups = W.map((w) => (w.speedup || {}).vs_reference).filter((x) => typeof x === "number");
  const geo = speedups.length ? Math.exp(speedups.reduce((a, x) => a + Math.log(x), 0) / speedups.length) : null;
  R.main.appendChild(R.el("div", { class: "cards" },
    R.card("verdict", rep.verdict, rep.failure ? rep.failure.check + ": " + rep.failure.reason : "every check passed"),
    R.card("speed-up vs reference", geo ? geo.toFixed(2) + "×" : "-", "geometric mean over " + W.length + " workload(s)"),
    R.card("SOL score", R.num(rep.sol_score_mean, 3), "mean; 1 = speed of light"),
    R.card("device", rep.device, rep.mode + " · " + rep.launcher),
    R.card("task", rep.task, String(rep.candidate))));
}

function workloadTable(parent) {
  const rows = W.map((w) => {
    const c = (w.timing || {}).candidate || {}, ref = (w.timing || {}).reference || {};
    return [w.name, R.badge(w.verdict, verdictColor(w.verdict)),
      w.failure ? (w.failure.check || "") + " " + (w.failure.reason || "") : "",
      R.time(c.median), "[" + R.time(c.ci95_low) + ", " + R.time(c.ci95_high) + "]", String(c.n || 0),
      R.time(ref.median), R.num((w.speedup || {}).vs_reference, 2) + "×",
      R.num(w.sol_score, 3) + (w.sol_flag ? " (faster than light!)" : ""),
      R.time((w.roofline || {}).sol_s), (w.timing || {}).stop_reason || "", String(w.calls || 0)];
  });
  parent.appendChild(R.table(["workload", "verdict", "failure", "median", "95% CI", "samples",
                              "reference", "speed-up", "SOL score", "SOL time", "stopped", "calls"],
                             rows, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1]));
}

function histograms(parent) {
  const row = R.el("div", { class: "row" });
  parent.appendChild(row);
  let n = 0;
  for (const w of W) {
    const xs = (w.samples_s || []).filter((x) => typeof x === "number");
    if (!xs.length) continue;
    const t = w.timing || {};
    R.samplesPlot(row, w.name + " (" + xs.length + " samples)", xs, [
      { name: "median", value: (t.candidate || {}).median, color: "#102a43" },
      { name: "reference", value: (t.reference || {}).median, color: "#ef6c00" },
      { name: "SOL", value: (w.roofline || {}).sol_s, color: "#2e7d32" }]);
    n += 1;
  }
  if (!n) parent.appendChild(R.el("p", { class: "empty" }, "No timing samples (the candidate was rejected before timing)."));
}

// Work over time against the task's speed-of-light bound: where each workload sits, in FLOP/s
// (or bytes/s for a kernel without arithmetic) against its arithmetic intensity.
function roofline(parent) {
  const pts = W.filter((w) => w.roofline && ((w.timing || {}).candidate || {}).median > 0 && w.roofline.bytes > 0);
  if (!pts.length) { parent.appendChild(R.el("p", { class: "empty" }, "The report has no roofline fields.")); return; }
  const flops = pts.every((w) => w.roofline.flops > 0);
  const work = (w) => (flops ? w.roofline.flops : w.roofline.bytes);
  const x = (w) => (flops ? w.roofline.flops / w.roofline.bytes : w.roofline.bytes);
  const unit = flops ? "FLOP/s" : "bytes/s";
  const mk = (f) => pts.map((w) => ({ value: [x(w), f(w)], name: w.name }));
  const fmt = (v) => (v >= 1e12 ? (v / 1e12).toFixed(2) + " T" : v >= 1e9 ? (v / 1e9).toFixed(2) + " G" :
                      v >= 1e6 ? (v / 1e6).toFixed(2) + " M" : v.toFixed(0) + " ");
  R.plot(parent, {
    legend: { bottom: 0 },
    grid: { left: 80, right: 30, top: 36, bottom: 60 },
    tooltip: { trigger: "item", formatter: (p) => R.esc(p.data.name + " · " + p.seriesName + ": " + fmt(p.value[1]) + unit) },
    xAxis: { type: "log", name: flops ? "arithmetic intensity (FLOP/byte)" : "bytes moved", nameLocation: "middle",
             nameGap: 28, min: (v) => v.min / 4, max: (v) => v.max * 4,
             axisLabel: { formatter: (v) => +v.toPrecision(2) } },
    yAxis: { type: "log", name: "attained " + unit, axisLabel: { formatter: (v) => fmt(v) } },
    series: [
      { name: "peak floor (roofline)", type: "scatter", symbol: "triangle", symbolSize: 13, itemStyle: { color: "#9aa5b1" },
        data: mk((w) => work(w) / w.roofline.floor_s) },
      { name: "speed of light (SOL)", type: "scatter", symbol: "rect", symbolSize: 12, itemStyle: { color: "#2e7d32" },
        data: mk((w) => work(w) / w.roofline.sol_s) },
      { name: "candidate", type: "scatter", symbolSize: 15, itemStyle: { color: "#4e79a7" },
        data: mk((w) => work(w) / w.timing.candidate.median),
        label: { show: true, position: "right", formatter: (p) => p.data.name } },
      { name: "reference", type: "scatter", symbol: "diamond", symbolSize: 12, itemStyle: { color: "#ef6c00" },
        data: pts.filter((w) => (w.timing.reference || {}).median > 0).map((w) => ({ value: [x(w), work(w) / w.timing.reference.median], name: w.name })) },
    ],
  });
}

R.run(() => {
  summary();
  workloadTable(R.panel("Workloads", "One row per workload: the candidate's median time with its 95% interval, the reference's, and the SOL score (time at the speed of light / time)."));
  histograms(R.panel("Timing samples", "Per-invocation seconds after warm-up; lines mark the candidate's median, the reference's and the speed-of-light time."));
  roofline(R.panel("Roofline position", "Each workload's attained throughput against the device's peak floor and the task's speed-of-light bound (log scales)."));
});
