// The sandbox's reports as documents (schema 2) and SARIF, and the host self-test.
#include "referee/base/version.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox {
namespace {

Json SarifResult(const std::string& rule, const std::string& text) {
  return Json{{"ruleId", rule}, {"level", "error"}, {"message", {{"text", text}}}};
}

}  // namespace

Json RunReportToJson(const RunResult& result, const Policy& policy,
                     const std::vector<std::string>& command) {
  Json j = {{"schema_version", kJsonSchemaVersion},
            {"kind", "sandbox-run"},
            {"tool", {{"name", kToolName}, {"version", kVersion}}},
            {"profile", std::string(ProfileName(policy.profile))},
            {"command", command}};
  j.update(RunResultToJson(result));
  return j;
}

Json RunReportToSarif(const RunResult& result, const std::vector<std::string>& command) {
  Json results = Json::array();
  for (const Violation& v : result.violations) {
    results.push_back(SarifResult("sandbox-" + v.syscall,
                                  "forbidden system call " + v.syscall +
                                      " (attempted " + std::to_string(v.count) + "x)"));
  }
  if (result.timed_out) results.push_back(SarifResult("sandbox-timeout", result.reason));
  if (result.oom) results.push_back(SarifResult("sandbox-oom", result.reason));
  Json rules = Json::array();
  for (const Json& r : results) rules.push_back({{"id", r["ruleId"]}});
  Json run = {{"tool", {{"driver", {{"name", kToolName}, {"version", kVersion}, {"rules", rules}}}}},
              {"results", results},
              {"properties", {{"kind", "sandbox-run"}, {"command", command},
                              {"status", std::string(RunStatusName(result.status))}}}};
  return Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({run})}};
}

SelfTestResult RunSelfTest() {
  SelfTestResult out;
  Expected<Policy> policy = PolicyBuilder(Profile::kPython).SetWallTime(20).Build();
  if (!policy) {
    out.true_status = out.socket_reason = policy.error().ToString();
    return out;
  }
  Expected<RunResult> ok = Run(*policy, {"/bin/true"});
  Expected<RunResult> net = Run(*policy, {"/usr/bin/python3", "-c", "import socket; socket.socket()"});
  out.true_status = ok ? std::string(RunStatusName(ok->status)) : ok.error().ToString();
  out.socket_reason = net ? net->reason : net.error().ToString();
  out.passed = ok && ok->status == RunStatus::kOk && net && net->status == RunStatus::kViolation &&
               !net->violations.empty() && net->violations[0].syscall == "socket";
  return out;
}

}  // namespace referee::sandbox
