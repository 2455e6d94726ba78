// Status, report and export renderings of a search journal (issue 19 items 7, 8).
#include <algorithm>
#include <cmath>

#include "engine.h"
#include "referee/base/strings.h"
#include "referee/search/hack_policy.h"

namespace referee::search {
namespace {

std::string Time(const Json& s) {
  if (!s.is_number()) return "-";
  double v = s.get<double>();
  if (v < 1e-3) return StrFormat("%.2f us", v * 1e6);
  if (v < 1) return StrFormat("%.3f ms", v * 1e3);
  return StrFormat("%.3f s", v);
}

std::string MetricLine(const Json& m) {
  if (!m.contains("time_s")) return "not evaluated";
  std::string out = Time(m["time_s"]);
  if (m.contains("time_ci_s") && m["time_ci_s"].is_array()) {
    out += " [" + Time(m["time_ci_s"][0]) + " .. " + Time(m["time_ci_s"][1]) + "]";
  }
  out += StrFormat("  %.2fx the start", m.value("speedup_vs_seed", 1.0));
  if (m.contains("sol_score")) out += StrFormat("  SOL %.3f", m["sol_score"].get<double>());
  return out;
}

std::string Used(const Json& pair, const char* fmt) {
  double used = pair[0].get<double>(), limit = pair[1].get<double>();
  std::string u = StrFormat(fmt, used);
  return limit > 0 ? u + "/" + StrFormat(fmt, limit) : u;
}

// Expected best of n independent draws from the empirical values (sorted ascending).
double ExpectedBestOf(const std::vector<double>& v, int n) {
  double k = static_cast<double>(v.size()), e = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    e += v[i] * (std::pow((i + 1) / k, n) - std::pow(i / k, n));
  }
  return e;
}

}  // namespace

std::string FormatStatus(const Json& s) {
  std::string out =
      StrFormat("search %s  task %s  judge %s  round %lld\n", s.value("dir", "").c_str(),
                s.value("task", "").c_str(), s.value("judge", "").c_str(),
                static_cast<long long>(s.value("round", int64_t{0})));
  const Json& gb = s["global_best"];
  out += StrFormat("global best: candidate %lld (thread %lld)  %s\n",
                   static_cast<long long>(gb.value("id", int64_t{0})),
                   static_cast<long long>(gb.value("thread", int64_t{0})),
                   MetricLine(gb["metrics"]).c_str());
  out += "threads:\n";
  for (const Json& t : s["threads"]) {
    out += StrFormat(
        "  %-3lld %-8s incumbent %-5lld %s  (last move round %lld, resets %d)\n",
        static_cast<long long>(t["id"].get<int64_t>()), t["kind"].get<std::string>().c_str(),
        static_cast<long long>(t["incumbent"].get<int64_t>()), MetricLine(t["metrics"]).c_str(),
        static_cast<long long>(t["last_improved_round"].get<int64_t>()), t["resets"].get<int>());
  }
  out += "stages:";
  for (const char* stage : {"audit", "build", "quick", "screen", "full", "accept", "confirm",
                            "migrate", "reexecute", "re-audit"}) {
    if (!s["stages"].contains(stage)) continue;
    std::vector<std::string> parts;
    for (const auto& [st, n] : s["stages"][stage].items()) {
      parts.push_back(StrFormat("%d %s", n.get<int>(), st.c_str()));
    }
    out += StrFormat(" %s(%s)", stage, StrJoin(parts, ", ").c_str());
  }
  out += "\ncandidates:";
  for (const auto& [st, n] : s["candidates"].items()) {
    out += StrFormat(" %s %d", st.c_str(), n.get<int>());
  }
  out += "\nproposals:";
  for (const auto& [st, n] : s["proposals"].items()) {
    out += StrFormat(" %s %d", st.c_str(), n.get<int>());
  }
  out += StrFormat("\nincidents: %d\n", s.value("incident_count", 0));
  const Json& b = s["budget"];
  out += "budget: candidates " + Used(b["candidates"], "%.0f") + "  proposals " +
         Used(b["proposals"], "%.0f") + "  evaluations " + Used(b["evaluations"], "%.0f") +
         "  judge " + Used(b["judge_s"], "%.0f") + " s  wall " + Used(b["wall_s"], "%.0f") +
         " s  proposer $" + Used(b["proposer_usd"], "%.2f") + "\n";
  if (s.contains("stop_reason")) out += "stopped: " + s["stop_reason"].get<std::string>() + "\n";
  return out;
}

std::string FormatProgress(const Json& s) {
  std::string out = StrFormat("round %lld |", static_cast<long long>(s.value("round", int64_t{0})));
  for (const char* stage : {"audit", "build", "quick", "screen", "full", "accept", "confirm"}) {
    if (!s["stages"].contains(stage)) continue;
    const Json& st = s["stages"][stage];
    out += StrFormat(" %s %d", stage, st.value("pass", 0) + st.value("skip", 0));
    if (st.value("fail", 0)) out += StrFormat("/%d failed", st.value("fail", 0));
    if (st.value("running", 0)) out += "*";
  }
  out += StrFormat(" | incidents %d\n", s.value("incident_count", 0));
  for (const Json& t : s["threads"]) {
    out += StrFormat(
        "  thread %lld (%s) incumbent %lld: %s\n", static_cast<long long>(t["id"].get<int64_t>()),
        t["kind"].get<std::string>().c_str(), static_cast<long long>(t["incumbent"].get<int64_t>()),
        MetricLine(t["metrics"]).c_str());
  }
  const Json& b = s["budget"];
  out += "  budget: candidates " + Used(b["candidates"], "%.0f") + ", evaluations " +
         Used(b["evaluations"], "%.0f") + ", judge " + Used(b["judge_s"], "%.0f") + " s, wall " +
         Used(b["wall_s"], "%.0f") + " s\n";
  return out;
}

Expected<Json> SearchReport(const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> e, OpenEngine(dir));
  Json r = e->StatusJson();
  const auto& cands = e->candidates();
  const auto& threads = e->threads();
  auto kind = [&](const CandidateRecord& c) {
    auto t = threads.find(c.thread);
    return t == threads.end() ? std::string() : t->second.kind;
  };
  // The global best after each round, against the candidates spent so far.
  int64_t last_round = 0;
  for (const auto& [id, c] : cands) last_round = std::max(last_round, c.round);
  Json curve = Json::array();
  int64_t best = e->seed_id();
  for (int64_t round = 1; round <= last_round; ++round) {
    for (const DecisionRecord& d : e->decisions()) {
      bool global = d.kind == "confirm" || (d.kind == "demote" && d.thread == 0);
      if (global && d.applied && d.round == round) best = d.candidate;
    }
    int spent = 0;
    for (const auto& [id, c] : cands)
      spent += id != e->seed_id() && kind(c) == "search" && c.round <= round;
    curve.push_back({{"round", round},
                     {"candidates", spent},
                     {"best", best},
                     {"metrics", e->CandidateMetrics(cands.at(best))}});
  }
  r["curve"] = curve;
  r["seed"] = {{"id", e->seed_id()}, {"metrics", e->CandidateMetrics(cands.at(e->seed_id()))}};
  // Compute-matched baseline: best-of-N independent proposals from the starting program.
  std::vector<double> first_gen;
  int search_candidates = 0;
  for (const auto& [id, c] : cands) {
    if (id == e->seed_id() || kind(c) != "search") continue;
    ++search_candidates;
    bool from_seed = c.parents.size() == 1 && c.parents[0] == e->seed_id();
    if (!from_seed || c.status == "queued" || c.status == "running") continue;
    first_gen.push_back(e->Eligible(c) ? std::max(1.0, std::exp(e->Score(c))) : 1.0);
  }
  std::sort(first_gen.begin(), first_gen.end());
  Json baseline = {{"search_candidates", search_candidates},
                   {"search_best_speedup", std::exp(e->Score(cands.at(e->global_best())))}};
  if (!first_gen.empty() && search_candidates > 0) {
    baseline["estimate"] = {
        {"first_generation_samples", first_gen.size()},
        {"expected_best_speedup", ExpectedBestOf(first_gen, search_candidates)},
        {"how",
         "expected maximum of N draws from the first-generation proposals' speedups "
         "(failures count as 1.0x); optimistic for best-of-N, since each draw is one "
         "measurement"}};
  }
  for (const auto& [tid, t] : threads) {
    if (t.kind != "baseline") continue;
    int n = 0;
    int64_t best_sample = e->seed_id();
    for (const ProposalRecord& p : e->proposals()) {
      if (p.thread != tid || !p.candidate || !cands.count(p.candidate)) continue;
      ++n;
      const CandidateRecord& c = cands.at(p.candidate);
      if (e->Eligible(c) && e->Score(c) > e->Score(cands.at(best_sample))) best_sample = c.id;
    }
    baseline["run"] = {{"thread", tid},
                       {"samples", n},
                       {"best", best_sample},
                       {"metrics", e->CandidateMetrics(cands.at(best_sample))}};
  }
  r["baseline"] = baseline;
  Json decisions = Json::array();
  for (const DecisionRecord& d : e->decisions()) {
    decisions.push_back({{"id", d.id},
                         {"round", d.round},
                         {"kind", d.kind},
                         {"candidate", d.candidate},
                         {"thread", d.thread},
                         {"verdict", d.verdict},
                         {"baseline", d.baseline},
                         {"applied", d.applied},
                         {"ratio", d.ratio},
                         {"ci", {d.ci_low, d.ci_high}},
                         {"pairs", d.pairs},
                         {"looks", d.looks},
                         {"alpha", d.alpha}});
  }
  r["decisions"] = decisions;
  Json incidents = Json::array();
  for (const IncidentRecord& i : e->incidents()) {
    int tainted = 0;
    for (const auto& [id, c] : cands) tainted += c.tainted_by == i.candidate;
    incidents.push_back({{"id", i.id},
                         {"candidate", i.candidate},
                         {"stage", i.stage},
                         {"check", i.check},
                         {"evidence", i.evidence},
                         {"proposer", cands.at(i.candidate).proposer},
                         {"rationale", cands.at(i.candidate).rationale},
                         {"descendants_quarantined", tainted},
                         {"report_blob", i.report_blob},
                         {"diff_blob", cands.at(i.candidate).diff_blob}});
  }
  r["incidents"] = incidents;
  for (const StageRecord* s : e->StagesOf(e->global_best())) {
    if (s->stage == "reexecute") {
      r["reexecution"] = {
          {"candidate", e->global_best()}, {"status", s->status}, {"reason", s->reason}};
    }
  }
  REFEREE_ASSIGN_OR_RETURN(std::vector<SessionRecord> sessions, e->journal().Sessions());
  Json ss = Json::array();
  for (const SessionRecord& s : sessions) {
    ss.push_back({{"id", s.id},
                  {"command", s.command},
                  {"started", s.started},
                  {"ended", s.ended},
                  {"stop_reason", s.stop_reason}});
  }
  r["sessions"] = ss;
  if (!sessions.empty()) r["stop_reason"] = sessions.back().stop_reason;
  return r;
}

std::string FormatReport(const Json& r) {
  std::string out = FormatStatus(r);
  out += "\nprogress (global best by round):\n";
  for (const Json& p : r["curve"]) {
    out += StrFormat("  round %-3lld after %3d candidates: candidate %-4lld %s\n",
                     static_cast<long long>(p["round"].get<int64_t>()), p["candidates"].get<int>(),
                     static_cast<long long>(p["best"].get<int64_t>()),
                     MetricLine(p["metrics"]).c_str());
  }
  const Json& b = r["baseline"];
  out += StrFormat("\ncompute-matched baseline (%d search candidates; the search's best %.2fx):\n",
                   b.value("search_candidates", 0), b.value("search_best_speedup", 1.0));
  if (b.contains("estimate")) {
    out += StrFormat(
        "  estimated best-of-%d from the start: %.2fx (from %zu first-generation "
        "proposals)\n",
        b.value("search_candidates", 0), b["estimate"]["expected_best_speedup"].get<double>(),
        b["estimate"]["first_generation_samples"].get<size_t>());
  }
  if (b.contains("run")) {
    out += StrFormat("  run: %d independent proposals from the start, best %s\n",
                     b["run"]["samples"].get<int>(), MetricLine(b["run"]["metrics"]).c_str());
  }
  if (!b.contains("estimate") && !b.contains("run")) out += "  (no first-generation data yet)\n";
  out += "\ndecisions:\n";
  for (const Json& d : r["decisions"]) {
    if (d["kind"] == "offer") continue;
    out += StrFormat(
        "  round %-3lld %-8s candidate %-4lld thread %-2lld %-10s vs %-4lld ratio "
        "%.3f [%.3f, %.3f] pairs %d%s\n",
        static_cast<long long>(d["round"].get<int64_t>()), d["kind"].get<std::string>().c_str(),
        static_cast<long long>(d["candidate"].get<int64_t>()),
        static_cast<long long>(d["thread"].get<int64_t>()), d["verdict"].get<std::string>().c_str(),
        static_cast<long long>(d["baseline"].get<int64_t>()), d["ratio"].get<double>(),
        d["ci"][0].get<double>(), d["ci"][1].get<double>(), d["pairs"].get<int>(),
        d["applied"].get<bool>() ? "  applied" : "");
  }
  out += "\nincidents (reward hacks; lineages quarantined):\n";
  for (const Json& i : r["incidents"]) {
    out += StrFormat("  candidate %-4lld %-8s %s: %s\n",
                     static_cast<long long>(i["candidate"].get<int64_t>()),
                     i["stage"].get<std::string>().c_str(), i["check"].get<std::string>().c_str(),
                     i["evidence"].get<std::string>().c_str());
  }
  if (r.contains("reexecution")) {
    out += StrFormat("\nre-execution of the global best (candidate %lld): %s %s\n",
                     static_cast<long long>(r["reexecution"]["candidate"].get<int64_t>()),
                     r["reexecution"]["status"].get<std::string>().c_str(),
                     r["reexecution"]["reason"].get<std::string>().c_str());
  }
  return out;
}

}  // namespace referee::search
