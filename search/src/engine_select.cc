// Engine: parent and inspiration selection on lower confidence bounds (research/search.md
// §4.1 Selector: weight = sigmoid(λ·z) / (1 + children), z from the LCB of the log speedup,
// so a lucky mean with a wide interval does not win), and the proposer's request.
#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>

#include "engine.h"
#include "referee/base/file.h"
#include "referee/search/tunables.h"

namespace referee::search {

int64_t Engine::PickParent(int64_t thread, std::mt19937_64& rng) const {
  const ThreadRecord& t = threads_.at(thread);
  if (t.kind == "baseline") return seed_id_;  // independent samples from the start
  std::uniform_real_distribution<double> u(0, 1);
  if (u(rng) < cfg_.threads.exploit) return t.incumbent;
  std::vector<const CandidateRecord*> pool;
  for (const auto& [id, c] : cands_) {
    if (c.thread == thread && Eligible(c)) pool.push_back(&c);
  }
  const CandidateRecord& inc = cands_.at(t.incumbent);
  if (std::none_of(pool.begin(), pool.end(), [&](auto* c) { return c->id == inc.id; })) {
    pool.push_back(&inc);
  }
  if (pool.size() == 1) return pool.front()->id;
  std::vector<double> lcb;
  for (const CandidateRecord* c : pool) lcb.push_back(Lcb(*c));
  std::vector<double> sorted = lcb;
  std::sort(sorted.begin(), sorted.end());
  double median = sorted[sorted.size() / 2];
  std::vector<double> dev;
  for (double x : lcb) dev.push_back(std::fabs(x - median));
  std::sort(dev.begin(), dev.end());
  double mad = std::max(dev[dev.size() / 2], 1e-3);
  std::vector<double> w;
  for (size_t i = 0; i < pool.size(); ++i) {
    double z = (lcb[i] - median) / mad;
    double children = children_.count(pool[i]->id) ? children_.at(pool[i]->id) : 0;
    w.push_back(1.0 / (1.0 + std::exp(-10.0 * z)) / (1.0 + children));
  }
  std::discrete_distribution<size_t> pick(w.begin(), w.end());
  return pool[pick(rng)]->id;
}

std::vector<int64_t> Engine::PickInspirations(int64_t thread, int64_t parent) const {
  std::vector<const CandidateRecord*> pool;
  const std::string& parent_hash = cands_.at(parent).hash;
  for (const auto& [id, c] : cands_) {
    auto t = threads_.find(c.thread);
    bool other = t != threads_.end() && t->second.kind == "search" && c.thread != thread;
    if (other && Eligible(c) && c.hash != parent_hash) pool.push_back(&c);
  }
  std::stable_sort(pool.begin(), pool.end(), [&](auto* a, auto* b) { return Lcb(*a) > Lcb(*b); });
  std::vector<int64_t> out;
  for (const CandidateRecord* c : pool) {
    if (static_cast<int>(out.size()) >= cfg_.threads.inspirations) break;
    out.push_back(c->id);
  }
  return out;
}

int64_t Engine::BestOtherIncumbent(int64_t thread) const {
  const std::string& own = cands_.at(threads_.at(thread).incumbent).hash;
  int64_t best = 0;
  for (int64_t t : SearchThreads()) {
    if (t == thread) continue;
    const CandidateRecord& c = cands_.at(threads_.at(t).incumbent);
    if (c.hash == own || c.quarantined) continue;
    if (!best || Lcb(c) > Lcb(cands_.at(best))) best = c.id;
  }
  return best;
}

int64_t Engine::CommonAncestor(int64_t a, int64_t b) const {
  std::set<int64_t> seen;
  std::deque<int64_t> q = {a};
  while (!q.empty()) {
    int64_t x = q.front();
    q.pop_front();
    if (!seen.insert(x).second || !cands_.count(x)) continue;
    for (int64_t p : cands_.at(x).parents) q.push_back(p);
  }
  std::set<int64_t> visited;
  q = {b};
  while (!q.empty()) {
    int64_t x = q.front();
    q.pop_front();
    if (seen.count(x)) return x;
    if (!visited.insert(x).second || !cands_.count(x)) continue;
    for (int64_t p : cands_.at(x).parents) q.push_back(p);
  }
  return seed_id_;
}

Expected<ProgramView> Engine::View(int64_t id) {
  ProgramView v;
  v.id = id;
  v.thread = cands_.at(id).thread;
  REFEREE_ASSIGN_OR_RETURN(v.program, ProgramOf(id));
  v.metrics = CandidateMetrics(cands_.at(id));
  return v;
}

namespace {

// What proposers are told the evaluator enforces: the intent, not the detectors.
Json RuleIntents() {
  return Json::array({
      "outputs must be computed from the inputs on every call (no caches, no previous results)",
      "inputs must not be modified",
      "no thread or process may outlive a call; all work finishes before returning",
      "timers, the harness and its files are off limits",
      "only the editable files and regions may change; every change is audited and measured",
  });
}

Json FilesJson(const Program& p) {
  Json f = Json::object();
  for (const auto& [name, content] : p.files) f[name] = content;
  return f;
}

}  // namespace

Expected<Json> Engine::BuildRequest(const ProposalContext& ctx, const std::string& slot) {
  Json r = {{"schema_version", 1},
            {"thread", ctx.thread},
            {"round", ctx.round},
            {"seq", ctx.seq},
            {"slot", slot}};
  Json task = {{"name", std::filesystem::path(cfg_.task_dir).filename().string()}};
  if (Expected<std::string> def = ReadFile(cfg_.task_dir + "/definition.json")) {
    if (Expected<Json> d = ParseJson(*def, "definition.json"); d && d->contains("description")) {
      task["description"] = (*d)["description"];
    }
  }
  r["task"] = task;
  Json editable = Json::array();
  for (const std::string& f : cfg_.editable) {
    auto it = ctx.parent.program.files.find(f);
    if (it == ctx.parent.program.files.end()) continue;
    REFEREE_ASSIGN_OR_RETURN(std::vector<Region> regions, FindRegions(it->second, f));
    Json rs = Json::array();
    for (const Region& g : regions) rs.push_back({g.begin_line + 1, g.end_line - 1});
    editable.push_back({{"file", f}, {"regions", regions.empty() ? Json("whole") : rs}});
  }
  r["editable"] = editable;
  Json tunables = Json::array();
  if (Expected<std::vector<Tunable>> ts = FindTunables(ctx.parent.program)) {
    for (const Tunable& t : *ts) {
      tunables.push_back({{"name", t.name},
                          {"values", t.values},
                          {"current", t.current},
                          {"file", t.file},
                          {"line", t.line}});
    }
  }
  r["tunables"] = tunables;
  Json history = Json::array();
  for (int64_t a = ctx.parent.id;
       a && cands_.count(a) && static_cast<int>(history.size()) < cfg_.threads.history;) {
    const CandidateRecord& c = cands_.at(a);
    history.push_back({{"id", c.id},
                       {"proposer", c.proposer},
                       {"rationale", c.rationale},
                       {"status", c.status},
                       {"metrics", CandidateMetrics(c)}});
    a = c.parents.empty() ? 0 : c.parents.front();
  }
  r["parent"] = {{"id", ctx.parent.id},
                 {"files", FilesJson(ctx.parent.program)},
                 {"metrics", ctx.parent.metrics},
                 {"history", history}};
  Json insp = Json::array();
  for (const ProgramView& v : ctx.inspirations) {
    insp.push_back({{"id", v.id},
                    {"thread", v.thread},
                    {"files", FilesJson(v.program)},
                    {"metrics", v.metrics}});
  }
  r["inspirations"] = insp;
  Json failures = Json::array();
  for (auto it = cands_.rbegin(); it != cands_.rend(); ++it) {
    const CandidateRecord& c = it->second;
    if (static_cast<int>(failures.size()) >= cfg_.threads.history) break;
    if (c.thread != ctx.thread || (c.status != "rejected" && c.status != "quarantined")) continue;
    for (const StageRecord* s : StagesOf(c.id)) {
      if (s->status != "fail") continue;
      failures.push_back({{"id", c.id},
                          {"stage", s->stage},
                          {"check", s->check},
                          {"reason", s->reason},
                          {"rationale", c.rationale}});
      break;
    }
  }
  for (auto it = proposals_.rbegin(); it != proposals_.rend(); ++it) {
    if (static_cast<int>(failures.size()) >= 2 * cfg_.threads.history) break;
    if (it->thread != ctx.thread || it->status == "ok" || it->status == "duplicate") continue;
    failures.push_back({{"proposal", it->id}, {"stage", "proposal"}, {"reason", it->reason}});
  }
  r["failures"] = failures;
  Json budget = BudgetJson();
  r["budget"] = budget;
  r["rules"] = RuleIntents();
  r["deadline_s"] = cfg_.proposer_timeout_s;
  return r;
}

}  // namespace referee::search
