// Engine: the cascade's machinery (one journaled stage at a time) and its front stages, audit
// -> build -> quick correctness, cheapest first (issue 19 item 4).
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "engine.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/search/hack_policy.h"
#include "referee/search/sha256.h"

namespace referee::search {

Expected<std::map<std::string, std::string>> HashFixedFiles(const std::string& task_dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  auto it = std::filesystem::recursive_directory_iterator(task_dir, ec);
  if (ec) return FailedPreconditionError(task_dir + ": " + ec.message());
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return FailedPreconditionError(task_dir + ": " + ec.message());
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || name == "__pycache__") {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || out.size() >= 2000) continue;
    REFEREE_ASSIGN_OR_RETURN(std::string content, ReadFile(it->path().string()));
    out[std::filesystem::relative(it->path(), task_dir).string()] = Sha256Hex(content);
  }
  return out;
}

void Engine::Emit(const std::string& line) const {
  if (deps_.progress) deps_.progress->Event(line);
}

// The status is rebuilt from the whole archive: at most four times a second.
void Engine::Update(bool force) {
  if (!deps_.progress) return;
  double now = MonotonicS();
  if (!force && now - last_update_ < 0.25) return;
  last_update_ = now;
  deps_.progress->Update(StatusJson());
}

Status Engine::CheckFixedFiles(int64_t during) {
  REFEREE_ASSIGN_OR_RETURN(auto now, HashFixedFiles(cfg_.task_dir));
  for (const auto& [name, hash] : fixed_hashes_) {
    auto it = now.find(name);
    if (it != now.end() && it->second == hash) continue;
    std::string path = cfg_.task_dir + "/" + name;
    std::string what = it == now.end() ? "was removed" : "changed";
    if (during) {
      REFEREE_RETURN_IF_ERROR(Quarantine(during, "fixed-files", "fixed-file-modified",
                                         path + " " + what + " while the candidate ran", ""));
    }
    return FailedPreconditionError(path + ": a fixed file of the task " + what +
                                   " since the search began; restore it, then resume");
  }
  return OkStatus();
}

Status Engine::StartCandidate(int64_t id) {
  CandidateRecord& c = cands_.at(id);
  if (c.status == "running") return OkStatus();
  c.status = "running";
  return j_->UpdateCandidate(c);
}

Status Engine::FinishCandidate(int64_t id, const std::string& status) {
  CandidateRecord& c = cands_.at(id);
  if (c.quarantined) return OkStatus();  // Quarantine() set it
  c.status = status;
  return j_->UpdateCandidate(c);
}

StageOutcome Engine::FromEvaluation(const std::string& stage, const Evaluation& e) {
  StageOutcome o;
  o.cost_s = e.cost_s;
  o.evaluations = 1;
  o.report = e.report;
  o.report["timed_s"] = e.timed_s;
  if (e.verdict == JudgeVerdict::kFail) {
    o.status = "fail";
    o.check = e.check;
    o.reason = e.reason;
    o.failed_call = e.failed_call;
    o.hack = IsHack(stage, e.check, e.failed_call);
    return o;
  }
  o.metric = e.metric;
  o.metric_se = e.metric_se;
  o.sol_score = e.sol_score;
  return o;
}

Expected<StageRecord> Engine::RunStage(int64_t id, const std::string& stage,
                                       const std::function<Expected<StageOutcome>()>& run) {
  if (const StageRecord* done = FindStage(id, stage)) return *done;
  if (!OpenRow(id, stage)) {  // else Prefetch opened it and ran the job
    REFEREE_RETURN_IF_ERROR(CheckFixedFiles(0));
    REFEREE_RETURN_IF_ERROR(OpenStage(id, stage).error());
  }
  current_row_ = stages_[id].back().id;
  Update();
  Expected<StageOutcome> out = run();
  StageRecord row = stages_[id].back();  // a requeued job has a new row
  current_row_ = 0;
  row.ended = NowUnix();
  auto store = [&](const StageRecord& r) { stages_[id].back() = r; };
  if (!out) {  // the evaluator's own failure: the candidate is retried on resume
    row.status = "lost";
    row.reason = "evaluator error: " + out.error().message();
    Journal::Tx tx = j_->Begin();
    REFEREE_RETURN_IF_ERROR(j_->UpdateStage(row));
    CandidateRecord& c = cands_.at(id);
    c.attempts += 1;
    c.status = c.attempts >= cfg_.cascade.max_attempts ? "lost" : "queued";
    REFEREE_RETURN_IF_ERROR(j_->UpdateCandidate(c));
    REFEREE_RETURN_IF_ERROR(tx.Commit());
    store(row);
    return out.error().Annotate(
        StrFormat("candidate %lld, stage %s", static_cast<long long>(id), stage.c_str()));
  }
  row.status = out->status;
  row.check = out->check;
  row.reason = out->reason;
  row.hack = out->hack;
  row.metric = out->metric;
  row.metric_se = out->metric_se;
  row.cost_s = out->cost_s;
  row.timed_s = out->report.value("timed_s", 0.0);
  row.evaluations = out->evaluations;
  if (!out->report.empty()) {
    REFEREE_ASSIGN_OR_RETURN(row.report_blob, j_->blobs().Put(DumpJson(out->report)));
  }
  REFEREE_RETURN_IF_ERROR(j_->UpdateStage(row));
  store(row);
  evaluations_ += row.evaluations;
  judge_s_ += row.cost_s;
  timed_s_ += row.timed_s;
  if (row.evaluations > 0) REFEREE_RETURN_IF_ERROR(CheckFixedFiles(id));
  if (row.hack) {
    REFEREE_RETURN_IF_ERROR(
        Quarantine(id, stage, HackLabel(row.check, out->failed_call), row.reason, row.report_blob));
  }
  Update();
  return row;
}

Expected<StageOutcome> Engine::AuditOutcome(int64_t id) {
  StageOutcome o;
  if (!deps_.auditor) {
    o.status = "skip";
    o.reason = deps_.audit_skip_reason.empty() ? "no auditor" : deps_.audit_skip_reason;
    return o;
  }
  const CandidateRecord& c = cands_.at(id);
  REFEREE_ASSIGN_OR_RETURN(Program child, ProgramOf(id));
  int64_t parent = c.parents.empty() ? 0 : c.parents.front();
  Program base;
  if (parent) {
    REFEREE_ASSIGN_OR_RETURN(base, ProgramOf(parent));
  }
  std::vector<std::string> changed;
  for (const auto& [name, content] : child.files) {
    auto it = base.files.find(name);
    if (it == base.files.end() || it->second != content) changed.push_back(name);
  }
  std::string child_dir = j_->dir() + "/work/audit-c" + std::to_string(id);
  std::string parent_dir = j_->dir() + "/work/audit-p" + std::to_string(id);
  REFEREE_RETURN_IF_ERROR(MaterializeProgram(child, child_dir));
  REFEREE_ASSIGN_OR_RETURN(search::AuditOutcome now, deps_.auditor->Audit(child_dir, changed));
  search::AuditOutcome before;
  if (parent) {
    REFEREE_RETURN_IF_ERROR(MaterializeProgram(base, parent_dir));
    Expected<search::AuditOutcome> b = deps_.auditor->Audit(parent_dir, changed);
    if (!b) return b.error();
    before = *b;
  }
  std::error_code ec;
  std::filesystem::remove_all(child_dir, ec);
  std::filesystem::remove_all(parent_dir, ec);
  std::vector<AuditFinding> fresh = NewFindings(before, now);
  Json findings = Json::array();
  const AuditFinding* failing = nullptr;
  for (const AuditFinding& f : fresh) {
    findings.push_back({{"rule", f.rule_id},
                        {"severity", f.severity},
                        {"file", f.file},
                        {"line", f.line},
                        {"message", f.message},
                        {"snippet", f.snippet}});
    bool fails = f.severity == "error" ||
                 (cfg_.cascade.audit_fail_on == "warning" && f.severity == "warning");
    if (fails && !failing) failing = &f;
  }
  o.report = {{"auditor", deps_.auditor->name()},
              {"ruleset", deps_.auditor->RulesetHash()},
              {"files", changed},
              {"new_findings", findings},
              {"file_errors", now.file_errors}};
  if (failing) {
    o.status = "fail";
    o.hack = true;
    o.check = failing->rule_id;
    o.reason =
        StrFormat("%s:%d: %s", failing->file.c_str(), failing->line, failing->message.c_str());
  } else {
    o.reason = fresh.empty()
                   ? "no new findings"
                   : StrFormat("%zu new finding(s) below the failing severity", fresh.size());
  }
  return o;
}

Status Engine::FrontStages(int64_t id, bool through_quick) {
  REFEREE_RETURN_IF_ERROR(StartCandidate(id));
  auto stop = [&]() -> Status {
    std::string why = HardStop();
    return why.empty() ? OkStatus() : Status(StatusCode::kCancelled, why);
  };
  REFEREE_ASSIGN_OR_RETURN(std::string path, Materialize(id));
  EvalRequest req{path, StrFormat("candidate-%lld", static_cast<long long>(id)), EvalLevel::kQuick,
                  0};
  REFEREE_RETURN_IF_ERROR(stop());
  REFEREE_ASSIGN_OR_RETURN(StageRecord audit,
                           RunStage(id, "audit", [&] { return AuditOutcome(id); }));
  if (audit.status == "fail") return FinishCandidate(id, "rejected");
  REFEREE_RETURN_IF_ERROR(stop());
  REFEREE_ASSIGN_OR_RETURN(StageRecord build,
                           RunStage(id, "build", [&]() -> Expected<StageOutcome> {
                             REFEREE_ASSIGN_OR_RETURN(Evaluation e, exec_->Build(req));
                             StageOutcome o = FromEvaluation("build", e);
                             o.evaluations = 0;
                             return o;
                           }));
  if (build.status == "fail") return FinishCandidate(id, "rejected");
  if (!through_quick) return OkStatus();
  REFEREE_RETURN_IF_ERROR(stop());
  REFEREE_ASSIGN_OR_RETURN(StageRecord quick,
                           RunStage(id, "quick", [&]() -> Expected<StageOutcome> {
                             REFEREE_ASSIGN_OR_RETURN(Evaluation e, EvalOne(id, "quick", req));
                             return FromEvaluation("quick", e);
                           }));
  if (quick.status == "fail") {
    if (!quick.hack)
      Emit(StrFormat("candidate %lld rejected at quick: [%s] %s", static_cast<long long>(id),
                     quick.check.c_str(), quick.reason.c_str()));
    return FinishCandidate(id, "rejected");
  }
  return OkStatus();
}

Expected<bool> Engine::EvaluatePending(int64_t round, bool baseline) {
  if (!baseline) REFEREE_RETURN_IF_ERROR(ProcessOffers());
  std::vector<int64_t> ids;
  for (const auto& [id, c] : cands_) {
    bool kind = threads_.count(c.thread) && (threads_.at(c.thread).kind == "baseline") == baseline;
    if (c.round == round && kind && id != seed_id_ &&
        (c.status == "queued" || c.status == "running")) {
      ids.push_back(id);
    }
  }
  auto cancelled = [](const Status& s) { return s.code() == StatusCode::kCancelled; };
  if (Batched()) {  // audit and build first, then the round's quick checks at once
    for (int64_t id : ids) {
      Status s = FrontStages(id, false);
      if (cancelled(s)) return false;
      REFEREE_RETURN_IF_ERROR(s);
    }
    if (!HardStop().empty()) return false;
    REFEREE_RETURN_IF_ERROR(Prefetch(ids, "quick", EvalLevel::kQuick, 0));
  }
  for (int64_t id : ids) {
    if (Batched() && cands_.at(id).status != "running") continue;
    Status s = FrontStages(id);
    if (cancelled(s)) return false;
    REFEREE_RETURN_IF_ERROR(s);
  }
  std::vector<int64_t> survivors;
  for (int64_t id : ids) {
    const StageRecord* q = FindStage(id, "quick");
    if (q && q->status == "pass" && cands_.at(id).status == "running") survivors.push_back(id);
  }
  if (!HardStop().empty()) return false;
  REFEREE_RETURN_IF_ERROR(ScreenBatch(survivors));
  if (Batched()) {
    std::vector<int64_t> screened;
    for (int64_t id : survivors) {
      const StageRecord* sc = FindStage(id, "screen");
      if (sc && sc->status == "pass") screened.push_back(id);
    }
    if (!HardStop().empty()) return false;
    REFEREE_RETURN_IF_ERROR(Prefetch(screened, "full", EvalLevel::kFull, 0));
  }
  for (int64_t id : survivors) {
    const StageRecord* sc = FindStage(id, "screen");
    if (!sc || sc->status != "pass" || cands_.at(id).status != "running") continue;
    Status s = BackStages(id);
    if (cancelled(s)) return false;
    REFEREE_RETURN_IF_ERROR(s);
  }
  return true;
}

}  // namespace referee::search
