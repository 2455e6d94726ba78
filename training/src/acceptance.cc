#include "acceptance.h"

#include <cmath>

#include "referee/base/json.h"
#include "referee/base/strings.h"

namespace referee::training {
namespace {

using harness::Alternative;

std::vector<double> Scores(const TrainEvalReport& r, bool time) {
  std::vector<double> out;
  for (const SeedResult& s : r.seeds) {
    if (s.metric) out.push_back(time ? s.train_wall_s : *s.metric);
  }
  return out;
}

std::vector<uint64_t> Seeds(const TrainEvalReport& r) {
  std::vector<uint64_t> out;
  for (const SeedResult& s : r.seeds) out.push_back(s.seed);
  return out;
}

AcceptanceTest Decide(std::string goal, harness::TTest t, double alpha) {
  AcceptanceTest a;
  a.goal = std::move(goal);
  a.test = std::move(t);
  a.alpha = alpha;
  a.passed = a.test.p < alpha;
  return a;
}

}  // namespace

Aggregate AggregateOf(const std::vector<double>& v) {
  Aggregate a;
  a.n = v.size();
  if (v.empty()) return a;
  a.min = a.max = v[0];
  double sum = 0;
  for (double x : v) {
    sum += x;
    a.min = std::min(a.min, x);
    a.max = std::max(a.max, x);
  }
  a.mean = sum / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - a.mean) * (x - a.mean);
  a.ci_low = a.ci_high = a.mean;
  if (v.size() < 2) return a;
  a.stdev = std::sqrt(ss / static_cast<double>(v.size() - 1));
  double half = harness::StudentTInverseCdf(0.975, static_cast<double>(v.size() - 1)) * a.stdev /
                std::sqrt(static_cast<double>(v.size()));
  a.ci_low = a.mean - half;
  a.ci_high = a.mean + half;
  return a;
}

Expected<Incumbent> LoadIncumbent(const std::string& path, const TrainEvalReport& report) {
  REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("not a usable incumbent report: " + why, SourceLoc{path});
  };
  if (!j.is_object() || j.value("kind", "") != "train-eval") return bad("not a train-eval report");
  const Json& task = j.value("task", Json::object());
  if (task.value("name", "") != report.task_name) {
    return bad("it is for task '" + task.value("name", "") + "'");
  }
  if (task.value("validation_sha256", "") != report.validation_sha256) {
    return bad("it was scored on other validation tokens");
  }
  if (j.value("verdict", "") == "REJECTED" || j.value("verdict", "") == "ERROR") {
    return bad("its verdict is " + j.value("verdict", std::string("?")));
  }
  bool time = report.mode == Mode::kTimeToTarget;
  Incumbent inc;
  inc.path = path;
  for (const Json& s : j.value("seeds", Json::array())) {
    if (!s.contains("metric") || !s["metric"].is_number()) return bad("a seed has no metric");
    inc.seeds.push_back(s.value("seed", uint64_t{0}));
    inc.scores.push_back(time ? s.value("train_wall_s", 0.0) : s["metric"].get<double>());
  }
  if (inc.scores.size() < 2) return bad("it has fewer than 2 seeds");
  return inc;
}

std::vector<AcceptanceTest> AcceptanceTests(const TrainingTask& task,
                                            const TrainEvalReport& report,
                                            const Incumbent* incumbent) {
  std::vector<AcceptanceTest> out;
  double alpha = task.acceptance.alpha;
  std::vector<double> metrics = Scores(report, false);
  const char* metric = MetricName(task.metric.kind);
  if (task.mode == Mode::kTimeToTarget) {
    out.push_back(Decide(StrFormat("reaches the target: mean %s < %g", metric, *task.target),
                         harness::OneSampleTTest(metrics, *task.target, Alternative::kLess, alpha),
                         alpha));
  } else if (task.acceptance.threshold) {
    out.push_back(Decide(StrFormat("mean %s < %g", metric, *task.acceptance.threshold),
                         harness::OneSampleTTest(metrics, *task.acceptance.threshold,
                                                 Alternative::kLess, alpha),
                         alpha));
  }
  if (incumbent != nullptr) {
    bool time = task.mode == Mode::kTimeToTarget;
    std::vector<double> mine = Scores(report, time);
    for (double& x : mine) x += task.acceptance.min_effect;  // must win by the margin
    std::string goal = StrFormat("%s below the incumbent's (%s)%s", time ? "training time" : metric,
                                 incumbent->path.c_str(),
                                 task.acceptance.min_effect > 0
                                     ? StrFormat(" by more than %g", task.acceptance.min_effect).c_str()
                                     : "");
    bool paired = incumbent->seeds == Seeds(report);
    harness::TTest t = paired ? harness::PairedTTest(incumbent->scores, mine, Alternative::kLess, alpha)
                              : harness::WelchTTest(incumbent->scores, mine, Alternative::kLess, alpha);
    out.push_back(Decide(goal, t, alpha));
  }
  return out;
}

}  // namespace referee::training
