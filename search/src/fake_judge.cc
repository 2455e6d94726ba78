#include "referee/search/fake_judge.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/harness/expr.h"
#include "referee/harness/stats.h"
#include "referee/search/sha256.h"
#include "referee/search/tunables.h"

namespace referee::search {
namespace {

struct Directives {
  std::string time_expr;
  double noise = 0;
  std::string fail_check;
  int fail_call = 0;
  std::string fail_level = "quick";
  std::string fail_compare;
  bool error = false;
};

Directives Parse(const std::string& source) {
  Directives d;
  for (const std::string& line : SplitLines(source)) {
    size_t p = line.find("fake: ");
    if (p == std::string::npos) continue;
    std::string kv(StripWhitespace(std::string_view(line).substr(p + 6)));
    size_t eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : kv.substr(eq + 1);
    if (key == "time") d.time_expr = value;
    if (key == "noise") d.noise = std::strtod(value.c_str(), nullptr);
    if (key == "fail-level") d.fail_level = value;
    if (key == "fail-compare") d.fail_compare = value;
    if (key == "error") d.error = true;
    if (key == "fail") {
      size_t at = value.find('@');
      d.fail_check = value.substr(0, at);
      if (at != std::string::npos) d.fail_call = std::atoi(value.c_str() + at + 1);
    }
  }
  return d;
}

uint64_t Seed(std::string_view text) {
  std::string h = Sha256Hex(text);
  return std::strtoull(h.substr(0, 15).c_str(), nullptr, 16);
}

Expected<double> Metric(const std::string& path, const std::string& source, const Directives& d) {
  if (d.time_expr.empty()) {
    return 1e-3 * (1.0 + static_cast<double>(Seed(source) % 1000) / 1000.0);
  }
  harness::AxisValues vars;
  Program p{{{"candidate", source}}};
  Expected<std::vector<Tunable>> tunables = FindTunables(p);
  if (tunables) {
    for (const Tunable& t : *tunables) vars[t.name] = std::strtod(t.current.c_str(), nullptr);
  }
  Expected<double> v = harness::EvalExpr(d.time_expr, vars);
  if (!v)
    return InvalidArgumentError(path + ": fake: time=" + d.time_expr + ": " + v.error().message());
  return *v;
}

int LevelRank(const std::string& level) { return level == "quick" ? 0 : level == "screen" ? 1 : 2; }

class FakeJudge final : public Judge {
 public:
  explicit FakeJudge(FakeJudgeOptions o) : o_(o) {}
  std::string name() const override { return "fake"; }

  Expected<Evaluation> Build(const EvalRequest& r) override {
    Evaluation e;
    e.cost_s = 0;
    e.report = {{"judge", "fake"}, {"stage", "build"}};
    return e;
  }

  Expected<Evaluation> Evaluate(const EvalRequest& r) override {
    Nap();
    REFEREE_ASSIGN_OR_RETURN(std::string source, ReadFile(r.candidate_path));
    Directives d = Parse(source);
    if (d.error) return UnavailableError("fake judge: evaluator failure requested");
    Evaluation e;
    e.cost_s = o_.cost_s;
    int rank = r.level == EvalLevel::kQuick ? 0 : r.level == EvalLevel::kScreen ? 1 : 2;
    if (!d.fail_check.empty() && rank >= LevelRank(d.fail_level)) {
      e.verdict = JudgeVerdict::kFail;
      e.check = d.fail_check;
      e.failed_call = d.fail_call;
      e.reason = StrFormat("call %d: fake failure %s", d.fail_call, d.fail_check.c_str());
    } else {
      REFEREE_ASSIGN_OR_RETURN(e.metric, Metric(r.candidate_path, source, d));
      e.metric_se = d.noise / std::sqrt(10.0);
      e.timed_s = e.metric * 10;
    }
    e.report = {{"judge", "fake"},
                {"level", EvalLevelName(r.level)},
                {"verdict", e.verdict == JudgeVerdict::kPass ? "PASS" : "FAIL"},
                {"metric_s", e.metric}};
    if (e.verdict == JudgeVerdict::kFail) {
      e.report["failure"] = {{"check", e.check}, {"reason", e.reason}};
    }
    return e;
  }

  Expected<Comparison> Compare(const CompareRequest& r) override {
    Nap();
    REFEREE_ASSIGN_OR_RETURN(std::string sa, ReadFile(r.a_path));
    REFEREE_ASSIGN_OR_RETURN(std::string sb, ReadFile(r.b_path));
    Directives da = Parse(sa), db = Parse(sb);
    if (da.error || db.error) return UnavailableError("fake judge: evaluator failure requested");
    Comparison c;
    c.cost_s = o_.cost_s;
    for (auto [side, d] : {std::pair{"A", &da}, std::pair{"B", &db}}) {
      if (!d->fail_compare.empty() || !d->fail_check.empty()) {
        c.verdict = CompareVerdict::kInvalid;
        c.failed_side = side;
        c.check = d->fail_check.empty() ? "wrong-output" : d->fail_check;
        c.failed_call = d->fail_check.empty() ? 5 : d->fail_call;
        c.reason = StrFormat("%s: call %d: fake failure", side, c.failed_call);
        c.report = {{"judge", "fake"}, {"valid", false}};
        return c;
      }
    }
    REFEREE_ASSIGN_OR_RETURN(double ta, Metric(r.a_path, sa, da));
    REFEREE_ASSIGN_OR_RETURN(double tb, Metric(r.b_path, sb, db));
    std::mt19937_64 rng(Seed(sa + "\n--\n" + sb + StrFormat("%g", r.alpha)));
    std::normal_distribution<double> z(0, 1);
    std::vector<double> a, b;
    harness::PairedResult res;
    const int looks[] = {3, 6, 10};
    for (int look : looks) {
      while (static_cast<int>(a.size()) < look) {
        // At least a hair of noise so that identical programs read SAME, not a zero interval.
        a.push_back(ta * std::exp(std::max(da.noise, 1e-4) * z(rng)));
        b.push_back(tb * std::exp(std::max(db.noise, 1e-4) * z(rng)));
      }
      ++c.looks;
      res = harness::ComparePaired(a, b, r.alpha / 3, r.delta);
      if (res.verdict != harness::PairedVerdict::kUndecided) break;
    }
    c.pairs = static_cast<int>(a.size());
    c.ratio = res.ratio();
    c.ci_low = std::exp(res.ci_low);
    c.ci_high = std::exp(res.ci_high);
    switch (res.verdict) {
      case harness::PairedVerdict::kFaster:
        c.verdict = CompareVerdict::kBetter;
        break;
      case harness::PairedVerdict::kSlower:
        c.verdict = CompareVerdict::kWorse;
        break;
      case harness::PairedVerdict::kSame:
        c.verdict = CompareVerdict::kSame;
        break;
      case harness::PairedVerdict::kUndecided:
        c.verdict = CompareVerdict::kUndecided;
        break;
    }
    c.timed_s = (ta + tb) * c.pairs;
    c.report = {{"judge", "fake"},
                {"valid", true},
                {"a_medians", a},
                {"b_medians", b},
                {"verdict", CompareVerdictName(c.verdict)}};
    return c;
  }

 private:
  void Nap() {
    if (o_.die_at_call > 0 && ++calls_ == o_.die_at_call) _exit(137);
    if (o_.sleep_s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(o_.sleep_s));
  }
  int calls_ = 0;
  FakeJudgeOptions o_;
};

}  // namespace

std::unique_ptr<Judge> MakeFakeJudge(FakeJudgeOptions options) {
  return std::make_unique<FakeJudge>(options);
}

}  // namespace referee::search
