// The Judge library called directly (no CLI): every bundled CPU candidate reaches the verdict its
// task's candidates.json declares, and two judges with different configs run concurrently in
// one process.
#include "referee/harness/judge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/strings.h"

namespace referee::harness {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string manifest_dir;  // kernels/cpu/<task> or kernels/cpu/bad
  std::string task_dir;
  std::string file;
  bool pass = false;
  std::vector<std::string> checks;  // any of these
  std::string reason_contains;
  std::string reason_lacks;      // the verdict line must not hold this (candidate output)
  std::string evidence_contains;  // the untrusted evidence must hold this
  bool needs_sandbox = false;
  std::string name;  // gtest-safe
};

std::string SafeName(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// A .cc source is evaluated as the .so kernels/cpu/CMakeLists.txt built from it; .cpp (LibTorch
// entry point) sources are built by Judge::Prepare, where this build has the torch shim.
bool Runnable(const std::string& file) {
  if (EndsWith(file, ".cpp")) {
#ifdef REFEREE_TEST_HAVE_TORCH_SHIM
    return true;
#else
    return false;
#endif
  }
  return EndsWith(file, ".py") || EndsWith(file, ".cc");
}

std::vector<Entry> LoadEntries() {
  std::vector<Entry> out;
  std::vector<fs::path> manifests;
  for (const auto& d : fs::directory_iterator(REFEREE_KERNELS_CPU)) {
    if (fs::exists(d.path() / "candidates.json")) manifests.push_back(d.path() / "candidates.json");
  }
  std::sort(manifests.begin(), manifests.end());
  for (const fs::path& m : manifests) {
    Expected<Json> j = ReadJsonFile(m.string());
    if (!j || !j->is_array()) {
      ADD_FAILURE() << m << ": not a JSON list";
      continue;
    }
    for (const Json& e : *j) {
      Entry x;
      x.manifest_dir = m.parent_path().string();
      x.task_dir = (m.parent_path() / e.value("task", std::string("."))).lexically_normal();
      x.file = e.at("file").get<std::string>();
      x.pass = e.at("expect").get<std::string>() == "PASS";
      for (std::string& c : StrSplit(e.value("reason", std::string()), '|')) {
        if (!c.empty()) x.checks.push_back(c);
      }
      x.reason_contains = e.value("reason_contains", std::string());
      x.reason_lacks = e.value("reason_lacks", std::string());
      x.evidence_contains = e.value("evidence_contains", std::string());
      x.needs_sandbox = e.value("needs", std::string()) == "sandbox";
      x.name = SafeName(m.parent_path().filename().string() + "_" +
                        fs::path(x.file).stem().string());
      if (Runnable(x.file)) out.push_back(x);
    }
  }
  return out;
}

std::string CandidatePath(const Entry& e) {
  std::string src = e.manifest_dir + "/" + e.file;
  if (!EndsWith(e.file, ".cc")) return src;
  std::string task = fs::path(e.manifest_dir).filename().string();
  return std::string(REFEREE_CPU_KERNEL_DIR) + "/" + task + "/" + fs::path(e.file).stem().string() +
         ".so";
}

// As the CLI's `--quick --mode hot --call-timeout 3` (the settings the bundled verdicts are
// stated for).
JudgeConfig QuickHotConfig() {
  JudgeConfig c;
  c.cold = false;
  c.quick = true;
  c.call_timeout_s = 3;
  c.memory_limit_bytes = uint64_t{2} << 30;  // room for torch; an OOM candidate dies fast
  return c;
}

void PrintTo(const Entry& e, std::ostream* os) { *os << e.manifest_dir << "/" << e.file; }

class BundledCandidateTest : public ::testing::TestWithParam<Entry> {};

TEST_P(BundledCandidateTest, ReachesTheManifestVerdict) {
  const Entry& e = GetParam();
  JudgeConfig config = QuickHotConfig();
  // Filling 2 GiB until the cgroup kills it took past 3 s on a loaded 2-core host (ctest -j2):
  // the verdict is about the memory limit, not the call timeout.
  if (std::find(e.checks.begin(), e.checks.end(), "oom") != e.checks.end()) {
    config.call_timeout_s = 30;
  }
  Expected<std::unique_ptr<Judge>> judge = Judge::Create(config);
  ASSERT_TRUE(judge) << judge.error().ToString();
  if (e.needs_sandbox && (*judge)->launcher_name() != "sandbox") {
    GTEST_SKIP() << "needs the sandbox (its memory limit), which this host lacks";
  }
  Expected<Task> task = LoadTask(e.task_dir);
  ASSERT_TRUE(task) << task.error().ToString();
  Expected<Candidate> c = ResolveCandidate(CandidatePath(e));
  ASSERT_TRUE(c) << c.error().ToString();
  Status built = (*judge)->Prepare(*c);
  ASSERT_TRUE(built.ok()) << built.ToString();
  Expected<EvalReport> r = (*judge)->Evaluate(*task, *c);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->passed, e.pass) << "[" << r->failure.check << "] " << r->failure.reason;
  if (!e.checks.empty()) {
    EXPECT_NE(std::find(e.checks.begin(), e.checks.end(), r->failure.check), e.checks.end())
        << "check " << r->failure.check << ": " << r->failure.reason;
  }
  if (!e.reason_contains.empty()) {
    EXPECT_NE(r->failure.reason.find(e.reason_contains), std::string::npos) << r->failure.reason;
  }
  if (!e.reason_lacks.empty()) {
    EXPECT_EQ(r->failure.reason.find(e.reason_lacks), std::string::npos) << r->failure.reason;
  }
  if (!e.evidence_contains.empty()) {
    EXPECT_NE(r->failure.evidence.find(e.evidence_contains), std::string::npos)
        << r->failure.evidence;
  }
  if (e.pass) {
    for (const WorkloadResult& w : r->workloads) {
      EXPECT_FALSE(w.samples.empty()) << w.name;
      EXPECT_GE(w.full_checks * 4, w.calls) << w.name << ": under 25% checked in full";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cpu, BundledCandidateTest, ::testing::ValuesIn(LoadEntries()),
                         [](const ::testing::TestParamInfo<Entry>& info) {
                           return info.param.name;
                         });

Expected<EvalReport> EvaluateWith(const Judge& judge, const std::string& task_dir,
                                  const std::string& candidate) {
  REFEREE_ASSIGN_OR_RETURN(Task task, LoadTask(task_dir));
  REFEREE_ASSIGN_OR_RETURN(Candidate c, ResolveCandidate(candidate));
  return judge.Evaluate(task, c);
}

// Two judges, different configs, one process, two threads at once: each report follows its
// own judge's config, and each verdict is right.
TEST(JudgeTest, TwoJudgesWithDifferentConfigsRunConcurrently) {
  JudgeConfig cold = QuickHotConfig();
  cold.cold = true;
  cold.sandbox = SandboxMode::kAuto;
  JudgeConfig hot = QuickHotConfig();
  hot.hot_repeat = 3;
  hot.sandbox = SandboxMode::kOff;
  Expected<std::unique_ptr<Judge>> a = Judge::Create(cold);
  Expected<std::unique_ptr<Judge>> b = Judge::Create(hot);
  ASSERT_TRUE(a && b);
  std::string cpu = REFEREE_KERNELS_CPU;
  std::string task = cpu + "/vector_add";
  auto run = [&](const Judge* j, std::string cand) {
    return std::async(std::launch::async, [j, task, cand] { return EvaluateWith(*j, task, cand); });
  };
  auto a_honest = run(a->get(), task + "/candidates/honest.py");
  auto b_honest = run(b->get(), task + "/candidates/honest.py");
  auto a_hack = run(a->get(), task + "/candidates/input_mutation.py");
  auto b_hack = run(b->get(), task + "/candidates/cache_output.py");
  Expected<EvalReport> ah = a_honest.get(), bh = b_honest.get();
  Expected<EvalReport> ak = a_hack.get(), bk = b_hack.get();
  ASSERT_TRUE(ah && bh && ak && bk);
  EXPECT_TRUE(ah->passed) << ah->failure.reason;
  EXPECT_TRUE(bh->passed) << bh->failure.reason;
  EXPECT_EQ(ah->mode, "cold");
  EXPECT_EQ(bh->mode, "hot");
  EXPECT_EQ(bh->launcher, "plain");
  EXPECT_EQ(ah->launcher, (*a)->launcher_name() == "sandbox" ? "sandbox" : "plain");
  for (const WorkloadResult& w : ah->workloads) EXPECT_EQ(w.repeat, 1);
  for (const WorkloadResult& w : bh->workloads) EXPECT_EQ(w.repeat, 3);
  EXPECT_FALSE(ak->passed);
  EXPECT_EQ(ak->failure.check, "input-mutated");
  EXPECT_FALSE(bk->passed);
  EXPECT_EQ(bk->failure.check, "wrong-output");
}

TEST(JudgeTest, ConfigErrorsAreOneLine) {
  JudgeConfig c;
  c.hot_repeat = 4;  // a fixed repeat with cold mode
  Expected<std::unique_ptr<Judge>> j = Judge::Create(c);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().message(), "a fixed repeat needs hot mode");
  c = JudgeConfig();
  c.calibration_file = "/nonexistent/peaks.json";
  j = Judge::Create(c);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().loc().file, "/nonexistent/peaks.json");
}

// On a host without an NVIDIA GPU (CI), a GPU placement is refused at Create, naming why.
TEST(JudgeTest, GpuPlacementWithoutAGpuIsRefused) {
  if (fs::exists("/dev/nvidiactl")) GTEST_SKIP() << "this host has a GPU";
  JudgeConfig c;
  c.placement = Placement::Gpu(1);
  Expected<std::unique_ptr<Judge>> j = Judge::Create(c);
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message().find("--device cuda"), std::string::npos) << j.error().message();
  EXPECT_EQ(j.error().message().find('\n'), std::string::npos);
}

TEST(JudgeTest, OnlySandboxedJudgesUseTheTrustedTimingCache) {
  JudgeConfig c;
  c.device_dir = ::testing::TempDir() + "/judge-devices";
  c.sandbox = SandboxMode::kOff;
  Expected<std::unique_ptr<Judge>> plain = Judge::Create(c);
  ASSERT_TRUE(plain);
  EXPECT_TRUE((*plain)->options().trusted_timing_dir.empty());
  c.sandbox = SandboxMode::kAuto;
  Expected<std::unique_ptr<Judge>> maybe = Judge::Create(c);
  ASSERT_TRUE(maybe);
  bool sandboxed = (*maybe)->launcher_name() == "sandbox";
  EXPECT_EQ((*maybe)->options().trusted_timing_dir.empty(), !sandboxed);
  if (sandboxed) {
    EXPECT_EQ((*maybe)->options().trusted_timing_dir.rfind(c.device_dir + "/timings/", 0), 0u);
  }
}

TEST(PlacementTest, ParsesDevicesAndNamesThem) {
  EXPECT_FALSE(ParsePlacement("cpu")->on_gpu());
  EXPECT_EQ(*ParsePlacement("cuda")->gpu, 0);
  EXPECT_EQ(*ParsePlacement("cuda:7")->gpu, 7);
  EXPECT_EQ(ParsePlacement("cuda:7")->Name(), "cuda:7");
  EXPECT_EQ(Placement::Cpu().Name(), "cpu");
  for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:1x", "cuda:99999"}) {
    EXPECT_FALSE(ParsePlacement(bad)) << bad;
  }
  EXPECT_EQ(ParseSandboxMode("on").value(), SandboxMode::kOn);
  EXPECT_FALSE(ParseSandboxMode("yes"));
}

}  // namespace
}  // namespace referee::harness
