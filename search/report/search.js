// `referee search report --format html` (issue 14): draws the journal's facts gathered by
// search/src/report_html.cc. Candidate-written text reaches the DOM as text only (R.el) or
// escaped (R.esc, for tooltips).
"use strict";
const D = R.data, rep = D.report;
const byId = new Map(D.candidates.map((c) => [c.id, c]));
const allStages = D.candidates.flatMap((c) => c.stages.map((s) => Object.assign({ candidate: c.id }, s)));
const t0 = Math.min(...rep.sessions.map((s) => s.started).filter((x) => x > 0),
                    ...D.candidates.map((c) => c.created).filter((x) => x > 0));
const tEnd = Math.max(t0, ...allStages.map((s) => s.ended || s.started || 0),
                      ...D.events.map((e) => e.created));
const hackColor = R.statusColor.hack;

function speedup(id) {
  const m = (byId.get(id) || {}).metrics || {};
  if (typeof m.speedup_vs_seed !== "number") return null;
  const ci = m.time_ci_s || [m.time_s, m.time_s];
  // The interval of the time, turned into one of the speedup (speedup ∝ 1 / time).
  return { y: m.speedup_vs_seed, lo: m.speedup_vs_seed * m.time_s / ci[1],
           hi: m.speedup_vs_seed * m.time_s / ci[0] };
}

// Judge evaluations spent by time t (stages ended by then).
const evalSteps = allStages.filter((s) => s.ended > 0).sort((a, b) => a.ended - b.ended);
function evaluationsBy(t) {
  let n = 0;
  for (const s of evalSteps) { if (s.ended <= t) n += s.evaluations; else break; }
  return n;
}

// Each thread's incumbent (and the global best) after every applied decision.
function incumbentLines() {
  const lines = rep.threads.map((t) => ({ name: "thread " + t.id + " (" + t.kind + ")", id: t.id,
                                          changes: [[t0, D.seed]] }));
  const global = { name: "global best", id: 0, changes: [[t0, D.seed]] };
  for (const e of [...D.events].sort((a, b) => a.created - b.created)) {
    if (!e.applied) continue;
    if (e.kind === "confirm" || (e.kind === "demote" && e.thread === 0)) {
      global.changes.push([e.created, e.candidate]);
    } else if (!["ruleset", "offer"].includes(e.kind)) {
      const l = lines.find((x) => x.id === e.thread);
      if (l) l.changes.push([e.created, e.candidate]);
    }
  }
  return [...lines, global];
}

function progressPlot(parent, axis) {
  const palette = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7"];
  const series = [], names = [];
  let top = 1;
  incumbentLines().forEach((line, i) => {
    const color = line.id === 0 ? "#102a43" : palette[i % palette.length];
    const pts = line.changes.map(([t, id]) => ({ x: axis === "time" ? t - t0 : evaluationsBy(t), id, s: speedup(id) }));
    const last = pts[pts.length - 1];
    pts.push({ x: axis === "time" ? tEnd - t0 : evaluationsBy(tEnd), id: last.id, s: last.s });
    const ok = pts.filter((p) => p.s);
    for (const p of ok) top = Math.max(top, p.s.hi);
    names.push(line.name);
    // The interval as a band: one shaded rectangle per step, while that incumbent held.
    const band = [];
    for (let k = 0; k + 1 < ok.length; ++k) {
      band.push([{ xAxis: ok[k].x, yAxis: ok[k].s.lo }, { xAxis: ok[k + 1].x, yAxis: ok[k].s.hi }]);
    }
    series.push({ name: line.name, type: "line", step: "end", color, symbolSize: 7,
                  lineStyle: { width: line.id === 0 ? 3 : 2, type: line.id === 0 ? "dashed" : "solid" },
                  data: ok.map((p) => ({ value: [p.x, p.s.y], cand: p.id })),
                  markArea: { silent: true, itemStyle: { color, opacity: line.id === 0 ? 0.08 : 0.18 }, data: band } });
  });
  const chart = R.plot(parent, {
    title: { text: axis === "time" ? "over time" : "over judge evaluations", left: "center",
             textStyle: { fontSize: 13 } },
    legend: { data: names, bottom: 0, type: "scroll" },
    grid: { left: 56, right: 24, top: 36, bottom: 58 },
    tooltip: { trigger: "item", formatter: (p) => p.data && p.data.cand !== undefined ?
      R.esc(p.seriesName + ": candidate #" + p.data.cand + ", " + p.value[1].toFixed(2) + "× the start") : "" },
    xAxis: { type: "value", name: axis === "time" ? "seconds" : "evaluations", nameLocation: "middle",
             nameGap: 24, min: 0 },
    // Speed-ups multiply: past 10x a log axis keeps the early steps visible.
    yAxis: Object.assign(top > 10 ? { type: "log", name: "speed-up (log)", min: (v) => Math.min(0.5, v.min) }
                                  : { type: "value", name: "speed-up", scale: true },
                         { nameTextStyle: { align: "left" } }),
    series,
  });
  chart.on("click", (p) => { if (p.data && p.data.cand !== undefined) location.hash = "c" + p.data.cand; });
}

function lineageTree(parent) {
  const kids = new Map();
  for (const c of D.candidates) {
    if (c.id === D.seed) continue;
    const p = byId.has(c.parents[0]) ? c.parents[0] : D.seed;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(c.id);
  }
  const best = rep.global_best.id;
  const node = (id) => {
    const c = byId.get(id), hack = c.hack;
    const color = hack ? hackColor : R.statusColor[c.status] || "#9aa5b1";
    return {
      name: "#" + id + (hack ? " hack" : "") + (id === best ? " ★" : ""), cand: id,
      symbol: hack ? "diamond" : id === best ? "pin" : "circle", symbolSize: hack || id === best ? 18 : 11,
      itemStyle: { color, borderColor: c.quarantined ? hackColor : color, borderWidth: c.quarantined ? 2 : 1 },
      label: { color: hack ? hackColor : "#1f2933", fontWeight: hack || id === best ? "bold" : "normal" },
      children: (kids.get(id) || []).map(node),
    };
  };
  const leaves = D.candidates.filter((c) => !kids.has(c.id)).length;
  const div = R.plot(parent, {
    tooltip: { trigger: "item", formatter: (p) => {
      const c = byId.get(p.data.cand), s = speedup(c.id);
      return R.esc("candidate #" + c.id + " · " + c.status + (c.hack ? " · REWARD HACK" : "") +
                   " · thread " + c.thread + " · " + c.proposer) + "<br>" +
             R.esc("parents " + (c.parents.join(", ") || "none") + (s ? " · " + s.y.toFixed(2) + "×" : ""));
    } },
    series: [{ type: "tree", data: [node(D.seed)], orient: "LR", layout: "orthogonal",
               top: 20, bottom: 20, left: 60, right: 120, initialTreeDepth: -1,
               expandAndCollapse: false, roam: true, lineStyle: { color: "#bcccdc", width: 1.5 },
               label: { position: "top", fontSize: 11 } }],
  });
  div.getDom().style.height = Math.max(300, Math.min(4000, leaves * 26)) + "px";
  div.resize();
  div.on("click", (p) => { if (p.data && p.data.cand !== undefined) location.hash = "c" + p.data.cand; });
  const legend = R.el("div", { class: "legend" });
  for (const k of ["accepted", "evaluated", "rejected", "quarantined", "lost", "queued"]) {
    legend.appendChild(R.el("span", {}, R.el("i", { style: "background:" + R.statusColor[k] }), k));
  }
  legend.appendChild(R.el("span", {}, R.el("i", { style: "background:" + hackColor + ";border-radius:0;transform:rotate(45deg)" }),
                          "reward hack (incident)"));
  legend.appendChild(R.el("span", {}, "★ global best"));
  parent.appendChild(legend);
}

const stageOrder = ["audit", "build", "quick", "screen", "full", "accept", "confirm", "migrate",
                    "reexecute", "re-audit"];
function stageRank(s) {
  const i = stageOrder.indexOf(s.split(":")[0]);
  return (i < 0 ? stageOrder.length : i) * 100 + (parseInt(s.split(":")[1] || "0", 10) || 0);
}

function timeline(parent) {
  const stages = [...new Set(allStages.map((s) => s.stage))].sort((a, b) => stageRank(a) - stageRank(b));
  const groups = { pass: [], fail: [], hack: [], skip: [], other: [] };
  for (const s of allStages) {
    const g = s.hack ? "hack" : groups[s.status] ? s.status : "other";
    groups[g].push({ value: [(s.started || t0) - t0, s.stage], s });
  }
  const chart = R.plot(parent, {
    legend: { bottom: 0 },
    grid: { left: 90, right: 24, top: 16, bottom: 58 },
    tooltip: { trigger: "item", formatter: (p) => {
      const s = p.data.s;
      return R.esc("candidate #" + s.candidate + " · " + s.stage + " " + s.status +
                   (s.check ? " · " + s.check : "")) + (s.reason ? "<br>" + R.esc(s.reason.slice(0, 160)) : "");
    } },
    xAxis: { type: "value", name: "seconds", nameLocation: "middle", nameGap: 24, min: 0 },
    yAxis: { type: "category", data: stages, inverse: true },
    series: Object.entries(groups).filter(([, v]) => v.length).map(([k, v]) => ({
      name: k === "hack" ? "reward hack" : k, type: "scatter", data: v,
      symbol: k === "hack" ? "diamond" : "circle", symbolSize: k === "hack" ? 14 : 10,
      itemStyle: { color: R.statusColor[k] || "#795548", opacity: 0.85 } })),
  });
  chart.on("click", (p) => { if (p.data && p.data.s) location.hash = "c" + p.data.s.candidate; });
}

function ruleHits(parent) {
  if (!D.rule_hits.length) { parent.appendChild(R.el("p", { class: "empty" }, "No rule or check fired.")); return; }
  const counts = new Map(), categories = [...new Set(D.rule_hits.map((h) => h.category))].sort();
  for (const h of D.rule_hits) {
    const k = h.check;
    if (!counts.has(k)) counts.set(k, { category: h.category, n: 0, cands: [] });
    counts.get(k).n += 1;
    counts.get(k).cands.push(h.candidate);
  }
  const checks = [...counts.keys()].sort((a, b) => counts.get(a).n - counts.get(b).n);
  const div = R.plot(parent, {
    legend: { bottom: 0 }, tooltip: { trigger: "item", formatter: (p) => R.esc(p.name + ": " + p.value) },
    grid: { left: 230, right: 24, top: 10, bottom: 48 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: checks },
    series: categories.map((cat) => ({ name: cat, type: "bar", stack: "hits", barMaxWidth: 26,
      data: checks.map((k) => (counts.get(k).category === cat ? counts.get(k).n : 0)) })),
  });
  div.getDom().style.height = Math.max(200, checks.length * 30 + 70) + "px";
  div.resize();
  const rows = [...checks].reverse().map((k) => {
    const v = counts.get(k), links = R.el("span", {});
    v.cands.forEach((id, i) => { if (i) links.appendChild(document.createTextNode(" ")); links.appendChild(R.link(id)); });
    return [v.category, k, String(v.n), links];
  });
  parent.appendChild(R.table(["category", "rule or check", "hits", "candidates"], rows, [0, 0, 1, 0]));
}

function budget(parent) {
  const b = rep.budget, units = { judge_s: " s", wall_s: " s", proposer_usd: " $" };
  const keys = Object.keys(b).filter((k) => Array.isArray(b[k]));
  const limited = keys.filter((k) => b[k][1] > 0);
  if (limited.length) {
    R.plot(parent, {
      grid: { left: 110, right: 40, top: 10, bottom: 30 },
      tooltip: { trigger: "item", formatter: (p) => R.esc(p.name + ": " + p.value.toFixed(0) + "% of the limit") },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: limited },
      series: [{ type: "bar", data: limited.map((k) => ({ value: Math.min(100, 100 * b[k][0] / b[k][1]),
        itemStyle: { color: b[k][0] >= b[k][1] ? "#ef6c00" : "#4e79a7" } })),
        label: { show: true, position: "right", formatter: (p) => p.value.toFixed(0) + "%" } }],
    }, "small");
  }
  parent.appendChild(R.table(["resource", "used", "limit"], keys.map((k) =>
    [k, R.num(b[k][0], k === "proposer_usd" ? 2 : 0) + (units[k] || ""),
     b[k][1] > 0 ? R.num(b[k][1], k === "proposer_usd" ? 2 : 0) + (units[k] || "") : "none"]), [0, 1, 1]));
}

function summary() {
  const gb = rep.global_best, s = speedup(gb.id);
  const cands = Object.entries(rep.candidates || {}).map(([k, v]) => v + " " + k).join(", ");
  const cards = R.el("div", { class: "cards" },
    R.card("global best", s ? s.y.toFixed(2) + "×" : "-", "candidate #" + gb.id + ", " + R.time((gb.metrics || {}).time_s)),
    R.card("candidates", String(D.candidates.length - 1), cands),
    R.card("reward hacks", String(rep.incidents.length), "lineages quarantined"),
    R.card("rounds", String(rep.round), rep.threads.length + " thread(s)"),
    R.card("judge", rep.judge, R.num(rep.budget.judge_s[0], 0) + " s of judge time"),
    R.card("stopped", rep.stop_reason || (rep.sessions.length ? "running" : "not run yet"),
           rep.sessions.length + " session(s)"));
  R.main.appendChild(cards);
}

function decisions(parent) {
  const rows = rep.decisions.filter((d) => d.kind !== "offer").map((d) => [String(d.round), d.kind,
    R.link(d.candidate), String(d.thread), d.verdict, d.baseline ? R.link(d.baseline) : "-",
    R.num(d.ratio, 3) + " [" + R.num(d.ci[0], 3) + ", " + R.num(d.ci[1], 3) + "]", String(d.pairs),
    d.applied ? "applied" : ""]);
  if (!rows.length) { parent.appendChild(R.el("p", { class: "empty" }, "No decisions yet.")); return; }
  parent.appendChild(R.table(["round", "kind", "candidate", "thread", "verdict", "vs", "time ratio [CI]",
                              "pairs", ""], rows, [1, 0, 0, 1, 0, 0, 1, 1, 0]));
}

function incidents(parent) {
  if (!rep.incidents.length) { parent.appendChild(R.el("p", { class: "empty" }, "No incidents.")); return; }
  parent.appendChild(R.table(["candidate", "stage", "check", "evidence", "proposer", "quarantined descendants"],
    rep.incidents.map((i) => [R.link(i.candidate), i.stage, i.check, i.evidence, i.proposer,
                              String(i.descendants_quarantined)]), [0, 0, 0, 0, 0, 1]));
}

function diffView(text) {
  const pre = R.el("pre", { class: "diff" });
  for (const line of text.split("\n")) {
    const cls = line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "";
    pre.appendChild(R.el("span", cls ? { class: cls } : {}, line + "\n"));
  }
  return pre;
}

function candidateBody(box, c) {
  const m = c.metrics || {}, s = speedup(c.id);
  box.appendChild(R.table(["thread", "parents", "proposer", "round", "generation", "time [95% CI]",
                           "speed-up", "SOL score"],
    [[String(c.thread), R.el("span", {}, ...c.parents.flatMap((p) => [R.link(p), " "])), c.proposer,
      String(c.round), String(c.generation),
      R.time(m.time_s) + (m.time_ci_s ? " [" + R.time(m.time_ci_s[0]) + ", " + R.time(m.time_ci_s[1]) + "]" : ""),
      s ? s.y.toFixed(2) + "×" : "-", R.num(m.sol_score, 3)]]));
  if (c.rationale) box.appendChild(R.el("div", { class: "why" }, "rationale: " + c.rationale));
  box.appendChild(R.table(["stage", "try", "status", "check", "reason", "evals", "judge s", "took"],
    c.stages.map((st) => [st.stage, String(st.attempt),
      st.hack ? R.badge("HACK " + st.status, hackColor) : st.status, st.check, st.reason,
      String(st.evaluations), R.num(st.cost_s, 2), st.ended ? R.num(st.ended - st.started, 2) + " s" : "-"]),
    [0, 1, 0, 0, 0, 1, 1, 1]));
  if (c.samples && c.samples.workloads.length) {
    const row = R.el("div", { class: "row" });
    box.appendChild(row);
    for (const w of c.samples.workloads.filter((x) => x.samples_s.length)) {
      R.samplesPlot(row, w.name + " (" + c.samples.stage + ", " + w.samples_s.length + " samples, SOL " +
                    R.num(w.sol_score, 3) + ")", w.samples_s, [], "small");
    }
  }
  if (c.diff) box.appendChild(diffView(c.diff));
}

function candidates(parent) {
  const open = D.candidates.length <= 40;
  for (const c of D.candidates) {
    const d = R.el("details", { class: "cand", id: "c" + c.id });
    const color = c.hack ? hackColor : R.statusColor[c.status] || "#9aa5b1";
    const s = speedup(c.id);
    d.appendChild(R.el("summary", {}, "candidate #" + c.id + " ", R.badge(c.hack ? "reward hack" : c.status, color),
      c.id === rep.global_best.id ? R.badge("global best", "#102a43") : null,
      c.id === D.seed ? R.badge("start", "#616e7c") : null,
      s ? s.y.toFixed(2) + "× the start" : "", " · " + c.proposer));
    parent.appendChild(d);
    // Plots are drawn when a section first opens: a long search stays quick to load.
    let drawn = false;
    const draw = () => { if (!drawn && d.open) { drawn = true; candidateBody(d, c); } };
    d.addEventListener("toggle", draw);
    if (open || c.id === rep.global_best.id || c.hack) { d.open = true; draw(); }
  }
  // A link to a closed section opens it; the sections exist only now, so a page opened at
  // report.html#c5 scrolls there itself.
  const follow = () => {
    const t = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (t && t.tagName === "DETAILS") { t.open = true; t.scrollIntoView(); }
  };
  window.addEventListener("hashchange", follow);
  follow();
}

R.run(() => {
  summary();
  const p = R.panel("Incumbent progress", "Speed-up over the starting program of each thread's incumbent and of the global best, with the 95% interval of its time as a band; one line per thread. Click a point to open the candidate.");
  const row = R.el("div", { class: "row" });
  p.appendChild(row);
  progressPlot(row, "time");
  progressPlot(row, "evaluations");
  lineageTree(R.panel("Lineage", "Every candidate under its (first) parent, coloured by outcome; reward hacks are red diamonds, and their quarantined descendants have a red ring."));
  timeline(R.panel("Accept / reject timeline", "Each stage of each candidate when it started, by outcome."));
  ruleHits(R.panel("Rule hits", "Static rules (audit) and the harness's dynamic checks that caught a candidate, by category."));
  budget(R.panel("Budget", "What the search spent against its limits."));
  decisions(R.panel("Decisions", "Statistical comparisons against the incumbent (time ratio < 1: faster)."));
  incidents(R.panel("Incidents", "Reward hacks found; each quarantines the candidate's lineage."));
  candidates(R.panel("Candidates", "Diff against the first parent, stage log, timing samples and SOL score."));
});
