// The sandbox launcher's policy: fds moved to fresh numbers the worker is told about, the
// CUPTI trace pipe passed only with an env var naming it, the GPU assigned by the config.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "referee/base/file.h"
#include "referee/harness/candidate.h"
#include "referee/harness/worker.h"
#include "workers/sandbox_launch_plan.h"

namespace referee::harness {
namespace {

class Pipes {
 public:
  Pipes() {
    for (int i = 0; i < 3; ++i) {
      int p[2];
      EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
      fds_.emplace_back(p[0]);
      fds_.emplace_back(p[1]);
    }
  }
  int get(int i) const { return fds_[i].get(); }

 private:
  std::vector<UniqueFd> fds_;
};

WorkerSpec GpuSpec() {
  WorkerSpec spec;
  spec.argv = {"/usr/bin/python3", "-I", "/opt/w/referee_worker.py",
               R"({"device":"cuda","module":"/work/cand/gelu.py"})"};
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"REFEREE_CUPTI_FD", "5"}};
  spec.gpu = 3;
  return spec;
}

bool Has(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(SandboxLauncherTest, PassesTraceFdUnderItsNewNumberAndAssignsGpu) {
  Pipes p;
  WorkerSpec spec = GpuSpec();
  spec.fd_env[5] = "REFEREE_CUPTI_FD";
  Expected<SandboxLaunchPlan> plan =
      PlanSandboxLaunch(spec, {{0, p.get(0)}, {3, p.get(1)}, {4, p.get(2)}, {5, p.get(3)}});
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  ASSERT_EQ(plan->fds.size(), 3u);
  int trace = plan->fds[2].get();
  EXPECT_GE(trace, 10);
  const sandbox::Policy& pol = plan->policy;
  EXPECT_TRUE(Has(pol.inherited_fds, plan->fds[0].get()));
  EXPECT_TRUE(Has(pol.inherited_fds, plan->fds[1].get()));
  EXPECT_TRUE(Has(pol.inherited_fds, trace));
  EXPECT_FALSE(Has(pol.inherited_fds, 5));  // the parent's fd 5 is not the trace pipe
  EXPECT_EQ(pol.env.at("REFEREE_CUPTI_FD"), std::to_string(trace));
  ASSERT_TRUE(pol.gpu.has_value());
  EXPECT_EQ(*pol.gpu, 3);  // the spec's index, whatever the config's "device" says
  EXPECT_EQ(pol.profile, sandbox::Profile::kPython);
  Expected<Json> cfg = ParseJson(plan->argv.back(), "cfg");
  ASSERT_TRUE(cfg.has_value());
  EXPECT_EQ((*cfg)["chan_fd"], plan->fds[0].get());
  EXPECT_EQ((*cfg)["arena_fd"], plan->fds[1].get());
}

TEST(SandboxLauncherTest, RefusesAnExtraFdTheWorkerCannotFind) {
  Pipes p;
  Expected<SandboxLaunchPlan> plan =
      PlanSandboxLaunch(GpuSpec(), {{3, p.get(1)}, {4, p.get(2)}, {5, p.get(3)}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().message().find("fd 5"), std::string::npos);
}

TEST(SandboxLauncherTest, RefusesMissingChannelOrArena) {
  Pipes p;
  EXPECT_FALSE(PlanSandboxLaunch(GpuSpec(), {{3, p.get(1)}}).has_value());
}

TEST(SandboxLauncherTest, CpuWorkerGetsNoGpuNorTraceFd) {
  Pipes p;
  WorkerSpec spec = GpuSpec();
  spec.argv.back() = R"({"device":"cpu","module":"/work/cand/gelu.py"})";
  spec.gpu.reset();
  Expected<SandboxLaunchPlan> plan = PlanSandboxLaunch(spec, {{3, p.get(1)}, {4, p.get(2)}});
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  EXPECT_FALSE(plan->policy.gpu.has_value());
  EXPECT_EQ(plan->policy.inherited_fds.size(), 2u);
  EXPECT_EQ(plan->policy.env.at("REFEREE_CUPTI_FD"), "5");  // untouched without fd_env
}

TEST(SandboxLauncherTest, TheGpuComesFromTheSpecNeverFromTheConfigText) {
  // A config naming another GPU (issue #12: no "cuda:N" parsed back from JSON) changes nothing.
  Pipes p;
  WorkerSpec spec = GpuSpec();
  spec.argv.back() = R"({"device":"cuda:7","module":"/work/cand/gelu.py"})";
  spec.gpu = 1;
  Expected<SandboxLaunchPlan> plan = PlanSandboxLaunch(spec, {{3, p.get(1)}, {4, p.get(2)}});
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  ASSERT_TRUE(plan->policy.gpu.has_value());
  EXPECT_EQ(*plan->policy.gpu, 1);
  spec.gpu.reset();
  plan = PlanSandboxLaunch(spec, {{3, p.get(1)}, {4, p.get(2)}});
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  EXPECT_FALSE(plan->policy.gpu.has_value());
}

bool HostCanSandboxNvcc() {
  for (const sandbox::LayerSupport& l : sandbox::HostSupport().layers) {
    if (!l.available) return false;
  }
  return std::filesystem::exists("/usr/local/cuda/bin/nvcc") && getenv("REFEREE_NVCC") == nullptr;
}

// A sandbox that cannot be set up (here: root runs workers under sandbox ids, and the
// candidate sits below a 0700 directory, as Python's tempfile makes them) fails the start at
// once with the sandbox's reason, not after the start timeout.
TEST(SandboxLauncherTest, UnreachableCandidateFailsAtOnceNamingTheDirectory) {
  std::string why;
  std::unique_ptr<Launcher> launcher = MakeSandboxLauncher(&why);
  if (!launcher || getuid() != 0) GTEST_SKIP() << "needs root and the full sandbox: " << why;
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("referee-sb0700-" + std::to_string(getpid()));
  fs::create_directories(root / "cand");
  fs::permissions(root, fs::perms::owner_all);
  ASSERT_TRUE(WriteFile((root / "cand" / "c.py").string(), "def run(x): return x\n").ok());
  WorkerSpec spec;
  spec.argv = {"/usr/bin/python3", "-c", "import time; time.sleep(60)",
               R"({"device":"cpu","module":")" + (root / "cand" / "c.py").string() + R"("})"};
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  spec.arena_bytes = 1 << 20;
  spec.start_timeout_s = 30;
  auto t0 = std::chrono::steady_clock::now();
  Expected<std::unique_ptr<Worker>> w = Worker::Start(spec, *launcher);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(w);
  EXPECT_LT(took, 10);
  EXPECT_NE(w.error().message().find("is not reachable by the sandbox user"), std::string::npos)
      << w.error().message();
  EXPECT_NE(w.error().message().find(root.string() + " has mode 0700"), std::string::npos)
      << w.error().message();
  fs::remove_all(root);
}

// nvcc under the build profile: the .so lands in the scratch dir; an error is one line.
TEST(SandboxedNvccTest, BuildsInScratchAndReportsErrors) {
  if (!HostCanSandboxNvcc()) GTEST_SKIP() << "no full sandbox or no nvcc on this host";
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("referee-sbnvcc-" + std::to_string(getpid()));
  fs::create_directories(root / "src");
  fs::permissions(root, fs::perms::all & ~fs::perms::group_write & ~fs::perms::others_write);
  Candidate good;
  good.kind = CandidateKind::kCudaLibrary;
  good.source = (root / "src" / "k.cu").string();
  ASSERT_TRUE(WriteFile(good.source, "extern \"C\" __global__ void k(float* x) { x[0] = 1; }\n")
                  .ok());
  Status st = CompileCudaCandidate(good, SandboxMode::kOn, WorkerPrograms::BuiltIn());
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(fs::exists(good.path));
  EXPECT_EQ(fs::path(good.path).parent_path(), fs::path(good.scratch_dir));
  EXPECT_FALSE(fs::exists(root / "src" / "candidate.so"));

  Candidate bad = good;
  bad.scratch_dir.clear();
  bad.source = (root / "src" / "bad.cu").string();
  ASSERT_TRUE(WriteFile(bad.source, "this is not CUDA\n").ok());
  st = CompileCudaCandidate(bad, SandboxMode::kOn, WorkerPrograms::BuiltIn());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("nvcc failed (sandboxed): "), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("bad.cu"), std::string::npos) << st.message();  // nvcc's own line
  EXPECT_EQ(st.message().find('\n'), std::string::npos);

  // A source directly in /tmp: compiled from a copy in scratch (/tmp itself is never bound).
  Candidate in_tmp = good;
  in_tmp.scratch_dir.clear();
  in_tmp.source = "/tmp/referee-sbnvcc-" + std::to_string(getpid()) + ".cu";
  ASSERT_TRUE(WriteFile(in_tmp.source, "extern \"C\" __global__ void k(float* x) { x[0] = 2; }\n")
                  .ok());
  st = CompileCudaCandidate(in_tmp, SandboxMode::kOn, WorkerPrograms::BuiltIn());
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(fs::exists(in_tmp.path));
  fs::remove(in_tmp.source);
  fs::remove_all(in_tmp.scratch_dir);
  fs::remove_all(good.scratch_dir);
  fs::remove_all(bad.scratch_dir);
  fs::remove_all(root);
}

}  // namespace
}  // namespace referee::harness
