// The search's view of the evaluator: evaluate one candidate at a level of effort, or compare
// two candidates by paired, interleaved runs. The search owns this small interface so that it
// does not depend on how the evaluator is packaged (today: harness/evaluator.h through
// harness_judge.h; later: referee::harness::Judge, issue 12). fake_judge.h implements it for
// unit tests and the bench.
//
//   std::unique_ptr<Judge> judge = MakeHarnessJudge(options);
//   Expected<Evaluation> e = judge->Evaluate({.candidate_path = "/w/17/kernel.py",
//                                             .level = EvalLevel::kQuick});
//   if (!e) ...                      // infrastructure failure: retried on resume
//   if (e->verdict == JudgeVerdict::kFail) ... e->check, e->reason, e->failed_call
//   Expected<Comparison> c = judge->Compare({.a_path = inc, .b_path = cand, .alpha = 0.05});
#pragma once

#include <optional>
#include <string>

#include "referee/base/expected.h"
#include "referee/base/json.h"

namespace referee::search {

enum class EvalLevel {
  kQuick,   // correctness on the smallest workload, few timed calls, no reference timing
  kScreen,  // a rung of successive halving: the quick setting with 2^rung times the samples
  kFull,    // every workload, the configured stopping rule, reference timing and SOL score
};
const char* EvalLevelName(EvalLevel level);

struct EvalRequest {
  std::string candidate_path;  // the program's entry file, written out by the search
  std::string display_name;
  EvalLevel level = EvalLevel::kFull;
  int rung = 0;
};

enum class JudgeVerdict { kPass, kFail };

struct Evaluation {
  JudgeVerdict verdict = JudgeVerdict::kPass;
  std::string check;                // the failing check's id (FAIL)
  std::string reason;               // one line
  int failed_call = -1;             // index of the call that failed (-1: at start or not a call)
  double metric = 0;                // seconds: geometric mean of the workloads' medians
  double metric_se = 0;             // standard error of log(metric)
  std::optional<double> sol_score;  // geometric mean of the workloads' SOL scores
  Json report = Json::object();     // the evaluator's JSON report
  double cost_s = 0;                // judge (device) wall seconds
  double timed_s = 0;               // seconds inside timed windows
};

enum class CompareVerdict { kBetter, kSame, kWorse, kUndecided, kInvalid };
const char* CompareVerdictName(CompareVerdict v);

struct CompareRequest {
  std::string a_path;   // the incumbent
  std::string b_path;   // the challenger
  double alpha = 0.05;  // split across the looks
  double delta = 0.01;  // practical margin
};

struct Comparison {
  CompareVerdict verdict = CompareVerdict::kUndecided;
  double ratio = 1, ci_low = 1, ci_high = 1;  // T_B / T_A and its (1 - alpha) interval
  int pairs = 0;
  int looks = 0;
  std::string failed_side;  // "A" or "B" when INVALID
  std::string check, reason;
  int failed_call = -1;
  Json report = Json::object();
  double cost_s = 0;
  double timed_s = 0;
};

class Judge {
 public:
  virtual ~Judge() = default;
  virtual std::string name() const = 0;
  // Compiles a candidate that needs it; a compile error is a FAIL (check "build").
  virtual Expected<Evaluation> Build(const EvalRequest& request) = 0;
  // An error is the evaluator's own failure (task, reference, host), never the candidate's.
  virtual Expected<Evaluation> Evaluate(const EvalRequest& request) = 0;
  // Paired interleaved blocks, >= 3 pairs, <= 3 looks with alpha split across them.
  virtual Expected<Comparison> Compare(const CompareRequest& request) = 0;
};

// "call 12: output 'out' ..." -> 12; -1 when the reason names no call.
int FailedCallIndex(const std::string& reason);

}  // namespace referee::search
