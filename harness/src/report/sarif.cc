// SARIF 2.1.0 renderings of evaluation and comparison reports: each failed check is a result
// whose rule id is the check ("input-mutated", "unjoined-stream", ...), at the candidate's file.
#include <filesystem>

#include "referee/base/version.h"
#include "referee/harness/evaluator.h"

namespace referee::harness {
namespace {

Json Location(const std::string& path) {
  std::error_code ec;
  std::string abs = std::filesystem::absolute(path, ec).string();
  return Json{{"physicalLocation", {{"artifactLocation", {{"uri", "file://" + abs}}}}}};
}

Json Result(const CheckFailure& f, const std::string& what, const std::string& path) {
  return Json{{"ruleId", f.check},
              {"level", "error"},
              {"message", {{"text", what + ": " + f.reason}}},
              {"locations", Json::array({Location(path)})}};
}

Json Log(const Json& results, const Json& properties) {
  Json rules = Json::array();
  for (const Json& r : results) {
    rules.push_back({{"id", r["ruleId"]},
                     {"shortDescription", {{"text", "dynamic check " + r["ruleId"].get<std::string>()}}}});
  }
  Json run = {{"tool",
               {{"driver",
                 {{"name", kToolName}, {"version", kVersion}, {"rules", rules}}}}},
              {"results", results},
              {"properties", properties}};
  return Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({run})}};
}

}  // namespace

Json ReportToSarif(const EvalReport& r, const std::string& candidate_path) {
  Json results = Json::array();
  if (!r.passed) {
    results.push_back(Result(r.failure, "candidate rejected on task " + r.task, candidate_path));
  }
  return Log(results, {{"kind", "eval"},
                       {"task", r.task},
                       {"verdict", r.passed ? "PASS" : "FAIL"},
                       {"device", r.device}});
}

Json CompareToSarif(const CompareReport& r, const std::string& a_path,
                    const std::string& b_path) {
  Json results = Json::array();
  if (!r.valid) {
    // The failure's reason starts with "A: " or "B: ": blame that candidate's file.
    bool b_failed = r.failure.reason.rfind("B: ", 0) == 0;
    results.push_back(Result(r.failure, "comparison invalid on task " + r.task,
                             b_failed ? b_path : a_path));
  }
  return Log(results, {{"kind", "compare"}, {"task", r.task}, {"valid", r.valid}});
}

}  // namespace referee::harness
