// The parent-side pieces of the GPU path (--device cuda) that run without a GPU: extra child
// fds, timer errors turned into checks, the nvcc command for .cu candidates, worker configs.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/harness/candidate.h"
#include "referee/harness/worker.h"
#include "checks/candidate_session.h"

namespace referee::harness {
namespace {

TEST(GpuPath, ExtraFdReachesTheChildAtItsNumber) {
  int p[2];
  ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
  WorkerSpec s;
  // The child writes through fd 5 and only then says hello on the channel.
  s.argv = {"/usr/bin/python3", "-c",
            "import os,socket\nos.write(5,b'trace')\nos.close(5)\n"
            "socket.socket(fileno=3).send(b'{\"seq\":0,\"ok\":true}')\nimport time\n"
            "time.sleep(5)\n"};
  s.env = {{"PATH", "/usr/bin:/bin"}};
  s.arena_bytes = 1 << 20;
  s.start_timeout_s = 5;
  s.extra_fds[5] = p[1];
  auto launcher = MakePlainLauncher();
  auto w = Worker::Start(s, *launcher);
  close(p[1]);
  ASSERT_TRUE(w) << w.error().ToString();
  char buf[16] = {};
  ASSERT_EQ(read(p[0], buf, sizeof(buf)), 5);
  EXPECT_EQ(std::string(buf), "trace");
  close(p[0]);
}

TEST(GpuPath, ExtraFdsBelowFiveAreRefused) {
  WorkerSpec s;
  s.argv = {"/bin/true"};
  s.extra_fds[4] = 0;
  auto launcher = MakePlainLauncher();
  EXPECT_FALSE(Worker::Start(s, *launcher));
}

TEST(GpuPath, TimerViolationIdBecomesTheCheck) {
  CheckFailure f = TimerFailure(FailedPreconditionError(
      "unjoined-stream: 1 kernel on stream 7 ended after the caller's stream drained (window 3)"));
  EXPECT_EQ(f.check, "unjoined-stream");
  EXPECT_EQ(f.reason.rfind("1 kernel on stream 7", 0), 0u);
  CheckFailure g = TimerFailure(DataLossError("The trace ended: no frame"));
  EXPECT_EQ(g.check, "timer");  // not an id: capitals and spaces before the colon
  EXPECT_EQ(TimerFailure(InternalError("no colon here")).check, "timer");
}

TEST(GpuPath, NvccCommandFindsTheCommonHeaderDirectory) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("referee-nvcc-" + std::to_string(getpid()));
  fs::create_directories(root / "task" / "candidates");
  fs::create_directories(root / "common");
  std::string src = (root / "task" / "candidates" / "k.cu").string();
  std::vector<std::string> cmd = NvccCommand("nvcc", src, "/tmp/out.so");
  auto has = [&](const std::string& s) { return std::find(cmd.begin(), cmd.end(), s) != cmd.end(); };
  EXPECT_TRUE(has("-I" + (root / "common").string()));
  EXPECT_TRUE(has("-I" + (root / "task" / "candidates").string()));
  EXPECT_TRUE(has("-shared"));
  EXPECT_EQ(cmd[cmd.size() - 3], src);
  EXPECT_EQ(cmd.back(), "/tmp/out.so");
  fs::remove_all(root / "common");
  cmd = NvccCommand("nvcc", src, "/tmp/out.so");
  EXPECT_FALSE(has("-I" + (root / "common").string()));
  fs::remove_all(root);
}

TEST(GpuPath, CudaSourcesResolveToGpuLibrariesAndConfigureTheWorker) {
  std::string src = "/tmp/referee-gpu-path-" + std::to_string(getpid()) + ".cu";
  ASSERT_TRUE(WriteFile(src, "// empty\n").ok());
  Expected<Candidate> c = ResolveCandidate(src);
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->kind, CandidateKind::kCudaLibrary);
  EXPECT_EQ(c->source, src);
  EXPECT_TRUE(c->dps);
  c->path = "/tmp/built.so";
  Task task;
  WorkerSpec spec = CandidateWorkerSpec(*c, task, 1 << 20, Placement::Gpu(2), /*cold=*/false,
                                        WorkerPrograms::BuiltIn());
  Expected<Json> cfg = ParseJson(spec.argv.back(), "config");
  ASSERT_TRUE(cfg);
  EXPECT_EQ((*cfg)["device"], "cuda");  // the worker sees its one GPU as device 0
  ASSERT_TRUE(spec.gpu.has_value());    // ... and the launcher is told which one it is
  EXPECT_EQ(*spec.gpu, 2);
  EXPECT_EQ(spec.env.at("CUDA_VISIBLE_DEVICES"), "2");
  EXPECT_EQ(spec.env.at("CUDA_DEVICE_ORDER"), "PCI_BUS_ID");
  EXPECT_EQ((*cfg)["cold"], false);
  EXPECT_EQ((*cfg)["cuda_library"], "/tmp/built.so");
  unlink(src.c_str());
}

}  // namespace
}  // namespace referee::harness
