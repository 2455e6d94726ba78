// Engine: loading the journal into memory, and the views of that state.
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {

double MonotonicS() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

uint64_t MixSeed(uint64_t seed, uint64_t salt) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (salt + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Engine::Engine(std::unique_ptr<Journal> journal, SearchConfig config)
    : j_(std::move(journal)), cfg_(std::move(config)) {}

namespace {

int64_t MetaInt(Journal& j, const std::string& key, int64_t fallback) {
  std::optional<std::string> v = j.GetMeta(key);
  return v ? std::strtoll(v->c_str(), nullptr, 10) : fallback;
}

}  // namespace

Status Engine::Load() {
  REFEREE_ASSIGN_OR_RETURN(std::vector<CandidateRecord> cands, j_->Candidates());
  for (CandidateRecord& c : cands) {
    hashes_.insert(c.hash);
    by_hash_[c.hash] = c.id;
    for (int64_t p : c.parents) children_[p]++;
    cands_[c.id] = std::move(c);
  }
  REFEREE_ASSIGN_OR_RETURN(std::vector<ThreadRecord> threads, j_->Threads());
  for (ThreadRecord& t : threads) threads_[t.id] = t;
  REFEREE_ASSIGN_OR_RETURN(std::vector<StageRecord> stages, j_->Stages());
  for (StageRecord& s : stages) {
    evaluations_ += s.evaluations;
    judge_s_ += s.cost_s;
    timed_s_ += s.timed_s;
    stages_[s.candidate].push_back(std::move(s));
  }
  REFEREE_ASSIGN_OR_RETURN(decisions_, j_->Decisions());
  REFEREE_ASSIGN_OR_RETURN(proposals_, j_->Proposals());
  for (const ProposalRecord& p : proposals_) proposer_usd_ += p.cost.value("usd", 0.0);
  REFEREE_ASSIGN_OR_RETURN(incidents_, j_->Incidents());
  REFEREE_ASSIGN_OR_RETURN(std::vector<SessionRecord> sessions, j_->Sessions());
  for (const SessionRecord& s : sessions) {
    if (s.ended > s.started) wall_before_s_ += s.ended - s.started;
  }
  seed_id_ = MetaInt(*j_, "seed_candidate", 1);
  global_best_ = MetaInt(*j_, "global_best", seed_id_);
  round_ = MetaInt(*j_, "round", 1);
  baseline_round_ = MetaInt(*j_, "baseline_round", 1);
  ruleset_ = j_->GetMeta("ruleset").value_or("");
  if (std::optional<std::string> fixed = j_->GetMeta("fixed_files")) {
    Expected<Json> f = ParseJson(*fixed, "fixed_files");
    if (f && f->is_object()) {
      for (const auto& [k, v] : f->items()) fixed_hashes_[k] = v.get<std::string>();
    }
  }
  if (!cands_.count(seed_id_)) return DataLossError(j_->dir() + ": the seed candidate is missing");
  DropDanglingReferences();
  return OkStatus();
}

// A salvaged journal (Journal::Salvage) may have lost rows: references to candidates that are
// gone fall back to the seed (incumbents, the global best) or are dropped (decisions,
// incidents, stages), and the resume says so.
void Engine::DropDanglingReferences() {
  auto gone = [&](int64_t id) { return id != 0 && !cands_.count(id); };
  for (auto& [tid, t] : threads_) {
    if (gone(t.incumbent)) {
      notes_.push_back(
          StrFormat("thread %lld: incumbent %lld lost in the journal; back to the "
                    "seed",
                    static_cast<long long>(tid), static_cast<long long>(t.incumbent)));
      t.incumbent = seed_id_;
    }
  }
  if (gone(global_best_)) {
    notes_.push_back("the global best was lost in the journal; back to the seed");
    global_best_ = seed_id_;
  }
  size_t before = decisions_.size() + incidents_.size();
  std::erase_if(decisions_,
                [&](const DecisionRecord& d) { return gone(d.candidate) || gone(d.baseline); });
  std::erase_if(incidents_, [&](const IncidentRecord& i) { return gone(i.candidate); });
  for (auto it = stages_.begin(); it != stages_.end();) {
    it = gone(it->first) ? stages_.erase(it) : std::next(it);
  }
  for (auto& [id, c] : cands_) {
    std::erase_if(c.parents, [&](int64_t p) { return gone(p); });
    if (gone(c.tainted_by)) c.tainted_by = 0;
  }
  if (decisions_.size() + incidents_.size() < before) {
    notes_.push_back("records naming lost candidates were dropped");
  }
}

bool Engine::Eligible(const CandidateRecord& c) const {
  return !c.quarantined && c.metric && (c.status == "accepted" || c.status == "evaluated");
}

double Engine::Score(const CandidateRecord& c) const {
  const CandidateRecord& seed = cands_.at(seed_id_);
  if (!c.metric || !seed.metric || *c.metric <= 0) return -1e9;
  return std::log(*seed.metric / *c.metric);
}

double Engine::Lcb(const CandidateRecord& c) const { return Score(c) - 1.645 * c.metric_se; }

Expected<Program> Engine::ProgramOf(int64_t id) {
  return LoadProgram(j_->blobs(), cands_.at(id).program_blob);
}

Expected<std::string> Engine::Materialize(int64_t id) {
  REFEREE_ASSIGN_OR_RETURN(Program p, ProgramOf(id));
  std::string dir = j_->dir() + "/work/c" + std::to_string(id);
  std::error_code ec;
  std::filesystem::create_directories(j_->dir() + "/work", ec);
  chmod((j_->dir() + "/work").c_str(), 0755);
  std::filesystem::remove_all(dir, ec);
  REFEREE_RETURN_IF_ERROR(MaterializeProgram(p, dir));
  return dir + "/" + cfg_.entry;
}

std::vector<const StageRecord*> Engine::StagesOf(int64_t id) const {
  std::vector<const StageRecord*> out;
  auto it = stages_.find(id);
  if (it == stages_.end()) return out;
  for (const StageRecord& s : it->second) out.push_back(&s);
  return out;
}

const StageRecord* Engine::FindStage(int64_t id, const std::string& stage) const {
  const StageRecord* found = nullptr;
  for (const StageRecord* s : StagesOf(id)) {
    if (s->stage == stage && s->status != "lost" && s->status != "running") found = s;
  }
  return found;
}

std::vector<int64_t> Engine::SearchThreads() const {
  std::vector<int64_t> out;
  for (const auto& [id, t] : threads_) {
    if (t.kind == "search") out.push_back(id);
  }
  return out;
}

namespace {

Json Interval(const CandidateRecord& c) {
  if (!c.metric) return Json();
  return Json::array(
      {*c.metric * std::exp(-1.96 * c.metric_se), *c.metric * std::exp(1.96 * c.metric_se)});
}

std::string StageFamily(const std::string& stage) {
  size_t colon = stage.find(':');
  return colon == std::string::npos ? stage : stage.substr(0, colon);
}

}  // namespace

Json Engine::CandidateMetrics(const CandidateRecord& c) const {
  Json m = Json::object();
  if (c.metric) {
    m["time_s"] = *c.metric;
    m["time_ci_s"] = Interval(c);
    m["speedup_vs_seed"] = std::exp(Score(c));
    m["lcb_log_speedup"] = Lcb(c);
  }
  if (c.sol_score) m["sol_score"] = *c.sol_score;
  return m;
}

Json Engine::StatusJson() const {
  Json s = {{"schema_version", 1},
            {"dir", j_->dir()},
            {"round", round_},
            {"judge", cfg_.judge},
            {"task", cfg_.task_dir}};
  const CandidateRecord& best = cands_.at(global_best_);
  s["global_best"] = {
      {"id", best.id}, {"thread", best.thread}, {"metrics", CandidateMetrics(best)}};
  s["threads"] = Json::array();
  for (const auto& [id, t] : threads_) {
    const CandidateRecord& inc = cands_.at(t.incumbent);
    s["threads"].push_back({{"id", id},
                            {"kind", t.kind},
                            {"incumbent", t.incumbent},
                            {"metrics", CandidateMetrics(inc)},
                            {"last_improved_round", t.last_improved_round},
                            {"resets", t.resets}});
  }
  Json stages = Json::object();
  for (const auto& [cand, rows] : stages_) {
    for (const StageRecord& r : rows) {
      Json& slot = stages[StageFamily(r.stage)];
      if (slot.is_null()) slot = Json::object();
      slot[r.status] = slot.value(r.status, 0) + 1;
    }
  }
  s["stages"] = stages;
  Json statuses = Json::object();
  for (const auto& [id, c] : cands_) statuses[c.status] = statuses.value(c.status, 0) + 1;
  s["candidates"] = statuses;
  Json props = Json::object();
  for (const ProposalRecord& p : proposals_) props[p.status] = props.value(p.status, 0) + 1;
  s["proposals"] = props;
  s["incident_count"] = incidents_.size();
  s["budget"] = BudgetJson();
  return s;
}

}  // namespace referee::search
