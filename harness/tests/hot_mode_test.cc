// Hot mode (issue #7): R invocations back to back per timed window, each on its own fresh
// inputs and poisoned outputs and each checked; and the end-of-trace verdict in Compare().
// Runs real Python workers on kernels/cpu/vector_add (the batching is the same on the CPU and
// the GPU: the parent builds the batch, the worker only runs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/harness/evaluator.h"
#include "checks/candidate_session.h"

namespace referee::harness {
namespace {

namespace fs = std::filesystem;

TEST(HotBatch, RepeatFillsTheWindowWithinItsCaps) {
  EvalOptions o;  // adaptive, 1 ms windows, at most 100
  EXPECT_EQ(ChooseHotRepeat(10e-6, 100, o), 100);
  EXPECT_EQ(ChooseHotRepeat(200e-6, 100, o), 5);
  EXPECT_EQ(ChooseHotRepeat(5e-3, 100, o), 1);
  EXPECT_EQ(ChooseHotRepeat(1e-15, 100, o), 100);
  EXPECT_EQ(ChooseHotRepeat(0, 100, o), 10);  // warm-up measured nothing
  EXPECT_EQ(ChooseHotRepeat(10e-6, 3, o), 3);  // the memory cap wins
  o.hot_repeat = 7;
  EXPECT_EQ(ChooseHotRepeat(5e-3, 100, o), 7);
  EXPECT_EQ(ChooseHotRepeat(5e-3, 4, o), 4);
  EXPECT_EQ(MaxHotRepeat(size_t{64} << 20, o), 4);  // 256 MiB per window
  EXPECT_EQ(MaxHotRepeat(1024, o), 100);
  EXPECT_EQ(MaxHotRepeat(size_t{1} << 30, o), 1);
}

TEST(HotBatch, ArenaHoldsTheBatchAndThePreviousTwo) {
  ConcreteWorkload w;
  ConcreteTensor t;
  t.spec.dtype = DType::kFloat32;
  t.shape = {1 << 20};
  t.numel = 1 << 20;
  w.inputs = {t};
  w.outputs = {t};
  size_t callset = CallsetBytes(w);
  EXPECT_GE(callset, 2 * t.nbytes());
  EXPECT_GE(ArenaBytesFor(w), 8 * callset);
  EXPECT_GE(ArenaBytesFor(w, 10), 30 * callset);
}

class HotModeEval : public ::testing::Test {
 protected:
  void SetUp() override {
    Expected<Task> t = LoadTask(std::string(REFEREE_KERNELS_CPU) + "/vector_add");
    ASSERT_TRUE(t) << t.error().ToString();
    task_ = *t;
    // The robustness and precision probes' calls (untimed, always checked) would blur the
    // counts below; judge_test covers the probes.
    task_.robustness_scale = 0;
    task_.precision_probe = false;
    task_.workloads.resize(1);  // n64k
    dir_ = fs::temp_directory_path() / ("referee-hot-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    options_.cold = false;
    options_.hot_repeat = 4;
    options_.stopping = QuickStopping();
    options_.recheck_delay_s = 0.002;
    options_.time_reference = false;
    options_.call_timeout_s = 5;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Candidate Write(const std::string& name, const std::string& code) {
    std::string path = (dir_ / name).string();
    EXPECT_TRUE(WriteFile(path, code).ok());
    Expected<Candidate> c = ResolveCandidate(path);
    EXPECT_TRUE(c) << c.error().ToString();
    return *c;
  }
  Candidate Kernel(const std::string& name) {
    Expected<Candidate> c =
        ResolveCandidate(std::string(REFEREE_KERNELS_CPU) + "/vector_add/candidates/" + name);
    EXPECT_TRUE(c) << c.error().ToString();
    return *c;
  }

  Task task_;
  fs::path dir_;
  EvalOptions options_;
};

TEST_F(HotModeEval, HonestCandidatePassesWithEveryInvocationChecked) {
  Expected<EvalReport> r = Evaluate(task_, Kernel("honest.py"), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_TRUE(r->passed) << r->failure.check << ": " << r->failure.reason;
  EXPECT_EQ(r->mode, "hot");
  const WorkloadResult& w = r->workloads[0];
  EXPECT_EQ(w.repeat, 4);
  // Warm-up windows hold one invocation; every timed window four, each a counted call.
  EXPECT_EQ(w.calls, options_.stopping.warmup_calls + 4 * static_cast<int>(w.samples.size()));
  EXPECT_GE(w.full_checks * 4, w.calls);
  Json j = ReportToJson(*r);
  EXPECT_EQ(j["mode"], "hot");
  EXPECT_EQ(j["workloads"][0]["repeat"], 4);
}

// Computes only every fourth call: with four invocations per window and no warm-up, that is
// the first invocation of each window. A harness that checked one invocation per window would
// pass it; every invocation is checked, so the second one is caught.
constexpr char kFirstOfWindow[] = R"(import torch
_calls = [0]


def run(x, y):
    n = _calls[0]
    _calls[0] += 1
    if n % 4 == 0:
        return x + y
    return torch.full_like(x, float('nan'))
)";

TEST_F(HotModeEval, EveryInvocationOfAWindowIsChecked) {
  options_.stopping.warmup_calls = 0;
  Expected<EvalReport> r = Evaluate(task_, Write("first_of_window.py", kFirstOfWindow), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->passed);
  EXPECT_EQ(r->failure.check, "poisoned-output");
  EXPECT_EQ(r->failure.reason.rfind("call 1:", 0), 0u) << r->failure.reason;
  // The honest look-alike: the same counter, every call computed.
  std::string honest = kFirstOfWindow;
  honest.replace(honest.find("n % 4 == 0"), 10, "n >= 0");
  r = Evaluate(task_, Write("counting_honest.py", honest), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_TRUE(r->passed) << r->failure.check << ": " << r->failure.reason;
}

TEST_F(HotModeEval, OutputCacheIsRejectedInHotMode) {
  // Keyed on the shape: every invocation after the first replays the first result.
  Expected<EvalReport> r = Evaluate(task_, Kernel("cache_output.py"), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->passed);
  EXPECT_EQ(r->failure.check, "wrong-output") << r->failure.reason;
}

TEST_F(HotModeEval, EveryReplayedOutputIsCheckedInFull) {
  // No sampled full checks at all: only invocations whose output bytes repeat an earlier
  // invocation's (for other inputs) are checked against the reference.
  options_.full_check_fraction = 0;
  Expected<EvalReport> r = Evaluate(task_, Kernel("cache_output.py"), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->passed);
  EXPECT_EQ(r->failure.check, "wrong-output") << r->failure.reason;
  EXPECT_EQ(r->workloads[0].full_checks, 1);  // the first replay, caught
  r = Evaluate(task_, Kernel("honest.py"), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_TRUE(r->passed) << r->failure.check << ": " << r->failure.reason;
  EXPECT_EQ(r->workloads[0].full_checks, 0);  // fresh inputs, fresh outputs: nothing forced
}

// Keyed on the bytes of the inputs: fresh values per invocation mean it never hits, so it is
// honest (and passes); keyed on the buffer address it never hits either (arena slots do not
// repeat). A cache only pays off against reused inputs, which no window has.
constexpr char kContentCache[] = R"(import hashlib
_cache = {}


def run(x, y):
    key = hashlib.sha1(x.numpy().tobytes() + y.numpy().tobytes()).hexdigest()
    ptr = (x.data_ptr(), y.data_ptr())
    hit = _cache.get(key) or _cache.get(ptr)
    if hit is not None:
        return hit
    out = x + y
    _cache[key] = _cache[ptr] = out
    return out
)";

TEST_F(HotModeEval, ContentAndPointerCachesNeverHit) {
  Expected<EvalReport> r = Evaluate(task_, Write("content_cache.py", kContentCache), options_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_TRUE(r->passed) << r->failure.check << ": " << r->failure.reason;
}

// A timer whose end-of-trace verdict finds late work (as the CUPTI timer does for a thread
// that launches work after the last call).
class LateWorkTimer final : public Timer {
 public:
  LateWorkTimer() : inner_(MakeCpuClockTimer()) {}
  std::string name() const override { return "late-work"; }
  Status Prepare(Worker& w) override { return inner_->Prepare(w); }
  Status PrepareFor(Worker& w, const Json& s, Worker* probe) override {
    return inner_->PrepareFor(w, s, probe);
  }
  void Begin() override { inner_->Begin(); }
  void End() override { inner_->End(); }
  Expected<double> Sample(const Reply& r) override { return inner_->Sample(r); }
  double last_round_trip_s() const override { return inner_->last_round_trip_s(); }
  Status Finish() override {
    return FailedPreconditionError("activity-outside-window: kernel after the last call");
  }

 private:
  std::unique_ptr<Timer> inner_;
};

TEST_F(HotModeEval, CompareUsesTheEndOfTraceVerdict) {
  Candidate honest = Kernel("honest.py");
  Expected<CompareReport> clean = Compare(task_, honest, honest, options_);
  ASSERT_TRUE(clean) << clean.error().ToString();
  EXPECT_TRUE(clean->valid) << clean->failure.check << ": " << clean->failure.reason;
  options_.make_timer = [] { return std::make_unique<LateWorkTimer>(); };
  Expected<CompareReport> late = Compare(task_, honest, honest, options_);
  ASSERT_TRUE(late) << late.error().ToString();
  EXPECT_FALSE(late->valid);
  EXPECT_EQ(late->failure.check, "activity-outside-window");
  EXPECT_EQ(late->failure.reason.rfind("A: ", 0), 0u) << late->failure.reason;
}

}  // namespace
}  // namespace referee::harness
