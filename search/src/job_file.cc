// The files between the search and its worker processes (executor.h): a request the search
// writes, a result the worker writes. The result comes back from a process that ran a hostile
// candidate, so it is read like any untrusted input: size-capped, every member type-checked,
// anything else one line naming the file.
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/search/executor.h"

namespace referee::search {
namespace {

constexpr int kJobSchema = 1;
constexpr off_t kMaxResultBytes = 64 << 20;

EvalLevel LevelFromName(const std::string& s) {
  if (s == "quick") return EvalLevel::kQuick;
  if (s == "screen") return EvalLevel::kScreen;
  return EvalLevel::kFull;
}

CompareVerdict VerdictFromName(const std::string& s) {
  for (CompareVerdict v : {CompareVerdict::kBetter, CompareVerdict::kSame, CompareVerdict::kWorse,
                           CompareVerdict::kUndecided, CompareVerdict::kInvalid}) {
    if (s == CompareVerdictName(v)) return v;
  }
  return CompareVerdict::kInvalid;
}

// A number from untrusted JSON: finite, else the fallback.
double Num(const Json& j, const char* key, double fallback) {
  double v = JsonNumber(j, key, fallback);
  return std::isfinite(v) ? v : fallback;
}

Json EvaluationJson(const Evaluation& e) {
  Json j = {{"verdict", e.verdict == JudgeVerdict::kPass ? "PASS" : "FAIL"},
            {"check", e.check},
            {"reason", e.reason},
            {"failed_call", e.failed_call},
            {"metric", e.metric},
            {"metric_se", e.metric_se},
            {"cost_s", e.cost_s},
            {"timed_s", e.timed_s},
            {"report", e.report}};
  if (e.sol_score) j["sol_score"] = *e.sol_score;
  return j;
}

Evaluation EvaluationFrom(const Json& j) {
  Evaluation e;
  e.verdict = JsonString(j, "verdict", "FAIL") == "PASS" ? JudgeVerdict::kPass : JudgeVerdict::kFail;
  e.check = JsonString(j, "check", e.verdict == JudgeVerdict::kFail ? "job" : "");
  e.reason = JsonString(j, "reason", "");
  e.failed_call = static_cast<int>(Num(j, "failed_call", -1));
  e.metric = Num(j, "metric", 0);
  e.metric_se = Num(j, "metric_se", 0);
  if (j.contains("sol_score") && j["sol_score"].is_number()) e.sol_score = Num(j, "sol_score", 0);
  e.cost_s = Num(j, "cost_s", 0);
  e.timed_s = Num(j, "timed_s", 0);
  if (j.contains("report") && j["report"].is_object()) e.report = j["report"];
  return e;
}

Json ComparisonJson(const Comparison& c) {
  return {{"verdict", CompareVerdictName(c.verdict)},
          {"ratio", c.ratio},
          {"ci_low", c.ci_low},
          {"ci_high", c.ci_high},
          {"pairs", c.pairs},
          {"looks", c.looks},
          {"failed_side", c.failed_side},
          {"check", c.check},
          {"reason", c.reason},
          {"failed_call", c.failed_call},
          {"cost_s", c.cost_s},
          {"timed_s", c.timed_s},
          {"report", c.report}};
}

Comparison ComparisonFrom(const Json& j) {
  Comparison c;
  c.verdict = VerdictFromName(JsonString(j, "verdict", "INVALID"));
  c.ratio = Num(j, "ratio", 1);
  c.ci_low = Num(j, "ci_low", 1);
  c.ci_high = Num(j, "ci_high", 1);
  c.pairs = static_cast<int>(Num(j, "pairs", 0));
  c.looks = static_cast<int>(Num(j, "looks", 0));
  c.failed_side = JsonString(j, "failed_side", "");
  c.check = JsonString(j, "check", "");
  c.reason = JsonString(j, "reason", "");
  c.failed_call = static_cast<int>(Num(j, "failed_call", -1));
  c.cost_s = Num(j, "cost_s", 0);
  c.timed_s = Num(j, "timed_s", 0);
  if (j.contains("report") && j["report"].is_object()) c.report = j["report"];
  return c;
}

Status WriteAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp" + std::to_string(getpid());
  REFEREE_RETURN_IF_ERROR(WriteFile(tmp, text));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return InternalError(path + ": rename failed");
  }
  return OkStatus();
}

}  // namespace

Json JobRequestJson(const Job& job, const Json& config) {
  Json j = {{"schema_version", kJobSchema}, {"config", config}};
  if (job.kind == Job::Kind::kCompare) {
    const CompareRequest& c = job.compare;
    j["kind"] = "compare";
    j["compare"] = {{"a_path", c.a_path}, {"b_path", c.b_path}, {"alpha", c.alpha},
                    {"delta", c.delta}};
  } else {
    const EvalRequest& e = job.eval;
    j["kind"] = "evaluate";
    j["evaluate"] = {{"candidate_path", e.candidate_path}, {"display_name", e.display_name},
                     {"level", EvalLevelName(e.level)}, {"rung", e.rung}};
  }
  return j;
}

Status RunJobFile(Judge& judge, const Json& request, const std::string& output) {
  Json out = {{"schema_version", kJobSchema}, {"ok", true}};
  if (JsonString(request, "kind", "") == "compare" && request["compare"].is_object()) {
    const Json& c = request["compare"];
    CompareRequest r{JsonString(c, "a_path", ""), JsonString(c, "b_path", ""),
                     Num(c, "alpha", 0.05), Num(c, "delta", 0.01)};
    Expected<Comparison> got = judge.Compare(r);
    if (got) out["comparison"] = ComparisonJson(*got);
    else out = {{"schema_version", kJobSchema}, {"ok", false}, {"error", got.error().ToString()}};
  } else if (JsonString(request, "kind", "") == "evaluate" && request["evaluate"].is_object()) {
    const Json& e = request["evaluate"];
    EvalRequest r{JsonString(e, "candidate_path", ""), JsonString(e, "display_name", ""),
                  LevelFromName(JsonString(e, "level", "full")),
                  static_cast<int>(Num(e, "rung", 0))};
    Expected<Evaluation> got = judge.Evaluate(r);
    if (got) out["evaluation"] = EvaluationJson(*got);
    else out = {{"schema_version", kJobSchema}, {"ok", false}, {"error", got.error().ToString()}};
  } else {
    return InvalidArgumentError("job request: kind is evaluate or compare");
  }
  return WriteAtomically(output, DumpJson(out) + "\n");
}

JobResult ReadJobResult(const std::string& path, Job::Kind kind) {
  JobResult r;
  auto fail = [&](const std::string& why) {
    Status s = UnavailableError(path + ": " + why);
    r.eval = s;
    r.compare = s;
    return r;
  };
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return fail("no result (the job wrote none)");
  if (!S_ISREG(st.st_mode) || st.st_size > kMaxResultBytes) {
    return fail("not a regular file of at most 64 MiB");
  }
  Expected<std::string> text = ReadFile(path);
  if (!text) return fail(text.error().message());
  Expected<Json> j = ParseJson(*text, path);
  if (!j) return fail("malformed result: " + j.error().message());
  if (!j->is_object() || Num(*j, "schema_version", 0) != kJobSchema) {
    return fail("not a job result of schema 1");
  }
  if (!JsonBool(*j, "ok", false)) return fail("evaluator error: " + JsonString(*j, "error", "?"));
  const char* key = kind == Job::Kind::kCompare ? "comparison" : "evaluation";
  if (!j->contains(key) || !(*j)[key].is_object()) return fail(std::string("no ") + key);
  if (kind == Job::Kind::kCompare) r.compare = ComparisonFrom((*j)[key]);
  else r.eval = EvaluationFrom((*j)[key]);
  return r;
}

}  // namespace referee::search
