// The train-eval report: JSON (schema_version 2, docs/training.md) and text.
#include <cmath>

#include "referee/base/strings.h"
#include "referee/base/version.h"
#include "referee/training/evaluation.h"

namespace referee::training {
namespace {

Json Num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// The shared schema's failure: the check and its one line (`path:line: error: ... [check]`).
Json FailureJson(const std::optional<Failure>& f) {  // f is set
  return Json{{"check", f->check}, {"reason", f->Line()}};
}

Json AggregateJson(const Aggregate& a) {
  return Json{{"n", a.n},           {"mean", Num(a.mean)},       {"stdev", Num(a.stdev)},
              {"ci95_low", Num(a.ci_low)}, {"ci95_high", Num(a.ci_high)}, {"min", Num(a.min)},
              {"max", Num(a.max)}};
}

Json SeedFields(const SeedResult& s) {
  Json checks = Json::array();
  for (const Check& c : s.checks) checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  return Json{{"index", s.index},
              {"seed", s.seed},
              {"verdict", VerdictName(s.verdict)},
              {"metric", s.metric ? Num(*s.metric) : Json(nullptr)},
              {"nll_nats_per_token", Num(s.nll_nats_per_token)},
              {"tokens", s.tokens},
              {"train_wall_s", s.train_wall_s},
              {"eval_wall_s", s.eval_wall_s},
              {"load_s", s.load_s},
              {"scoring_s", s.scoring_s},
              {"torch", s.torch_version},
              {"wall_s", s.wall_s},
              {"output_bytes", s.output_bytes},
              {"output_sha256", s.output_sha256},
              {"fingerprint", s.fingerprint},
              {"checks", checks},
              {"notes", s.notes}};
}

Json SeedJson(const SeedResult& s) {
  Json j = SeedFields(s);
  if (s.failure) j["failure"] = FailureJson(s.failure);
  return j;
}

std::string Fmt(double v) { return StrFormat("%.4f", v); }

}  // namespace

Json TrainEvalReportToJson(const TrainEvalReport& r) {
  Json j = Json::object();
  j["schema_version"] = 2;
  j["kind"] = "train-eval";
  j["tool"] = {{"name", kToolName}, {"version", kVersion}};
  j["argv"] = r.argv.empty() ? Json::array({"referee"}) : Json(r.argv);
  j["task"] = {{"name", r.task_name},
               {"path", r.task_path},
               {"mode", ModeName(r.mode)},
               {"metric", r.metric_name},
               {"budget_s", r.budget_s},
               {"budget_overridden", r.budget_overridden},
               {"grace_s", r.grace_s},
               {"target", r.target ? Json(*r.target) : Json(nullptr)},
               {"validation_sha256", r.validation_sha256}};
  j["candidate"] = r.candidate_dir;
  j["device"] = r.device;
  Json software = Json::object();
  if (!r.torch_version.empty()) software["torch"] = r.torch_version;
  j["environment"] = {{"referee_version", kVersion}, {"device", r.device}, {"software", software}};
  Json findings = Json::array();
  for (const AuditFinding& f : r.audit_findings) {
    findings.push_back({{"rule", f.rule_id}, {"severity", f.severity}, {"path", f.path},
                        {"line", f.line}, {"col", f.col}, {"message", f.message}});
  }
  j["audit"] = {{"ran", r.audit_ran}, {"findings", findings}, {"errors", r.audit_errors}};
  if (!r.rule_set_hash.empty()) j["rule_set_hash"] = r.rule_set_hash;
  Json seeds = Json::array();
  for (const SeedResult& s : r.seeds) seeds.push_back(SeedJson(s));
  j["seeds"] = seeds;
  j["aggregate"] = {{"metric", AggregateJson(r.metric)}, {"train_wall_s", AggregateJson(r.time)}};
  Json tests = Json::array();
  for (const AcceptanceTest& a : r.tests) {
    Json t = harness::TTestToJson(a.test);
    t["goal"] = a.goal;
    t["alpha"] = a.alpha;
    t["passed"] = a.passed;
    tests.push_back(t);
  }
  j["tests"] = tests;
  j["verdict"] = VerdictName(r.verdict);
  if (r.failure) j["failure"] = FailureJson(r.failure);
  j["notes"] = r.notes;
  return j;
}

std::string TrainEvalReportToText(const TrainEvalReport& r) {
  std::string out = StrFormat(
      "task %s (%s, %s %gs%s, metric %s), candidate %s, device %s\n", r.task_name.c_str(),
      ModeName(r.mode), r.mode == Mode::kFixedBudget ? "budget" : "time limit", r.budget_s,
      r.budget_overridden ? " (overridden)" : "", r.metric_name.c_str(), r.candidate_dir.c_str(),
      r.device.c_str());
  if (r.audit_ran) {
    out += StrFormat("audit: %zu finding(s)\n", r.audit_findings.size());
    for (const AuditFinding& f : r.audit_findings) {
      out += StrFormat("  %s:%d:%d: %s: %s [%s]\n", f.path.c_str(), f.line, f.col,
                       f.severity.c_str(), f.message.c_str(), f.rule_id.c_str());
    }
  }
  for (const SeedResult& s : r.seeds) {
    out += StrFormat("seed %d (%llu): train %.2fs, evaluate %.2fs: %s%s\n", s.index,
                     static_cast<unsigned long long>(s.seed), s.train_wall_s, s.eval_wall_s,
                     s.metric ? (r.metric_name + " " + Fmt(*s.metric)).c_str() : "no metric",
                     s.failure ? ("  " + std::string(VerdictName(s.verdict))).c_str() : "");
  }
  if (r.metric.n > 0) {
    out += StrFormat("%s: mean %s, stdev %s, 95%% CI [%s, %s], n=%zu\n", r.metric_name.c_str(),
                     Fmt(r.metric.mean).c_str(), Fmt(r.metric.stdev).c_str(),
                     Fmt(r.metric.ci_low).c_str(), Fmt(r.metric.ci_high).c_str(), r.metric.n);
  }
  if (r.mode == Mode::kTimeToTarget && r.time.n > 0) {
    out += StrFormat("time to target: mean %.2fs, 95%% CI [%.2f, %.2f]\n", r.time.mean,
                     r.time.ci_low, r.time.ci_high);
  }
  for (const AcceptanceTest& a : r.tests) {
    out += StrFormat("test: %s: %s, n=%zu, t=%.3g, dof=%.3g, p=%.3g, effect size %.3g: %s\n",
                     a.goal.c_str(), a.test.name.c_str(), a.test.n, a.test.statistic, a.test.dof,
                     a.test.p, a.test.effect_size, a.passed ? "shown" : "not shown");
  }
  for (const std::string& n : r.notes) out += "note: " + n + "\n";
  for (const SeedResult& s : r.seeds) {
    for (const std::string& n : s.notes) out += StrFormat("note: seed %d: %s\n", s.index, n.c_str());
  }
  out += VerdictName(r.verdict);
  if (r.failure) out += ": " + r.failure->Line();
  out += "\n";
  return out;
}

}  // namespace referee::training
