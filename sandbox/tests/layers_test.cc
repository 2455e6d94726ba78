// Unit tests of the parent-side planning of each layer (what gets mounted, granted, bound).
#include <linux/landlock.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cgroup.h"
#include "gpu_devices.h"
#include "landlock.h"
#include "mountns.h"
#include "rlimits.h"

namespace referee::sandbox::internal {
namespace {

class FakeDev : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-dev-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* n : {"nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "nvidia-modeset"}) {
      std::ofstream(root_ + "/" + n) << "";
    }
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(FakeDev, OnlyTheAssignedGpusNodesAreBound) {
  std::vector<std::string> nodes = gpu_devices::Nodes({1, root_});
  EXPECT_EQ(nodes, (std::vector<std::string>{root_ + "/nvidia1", root_ + "/nvidiactl",
                                             root_ + "/nvidia-uvm"}));
}

TEST_F(FakeDev, NoGpuMeansNoNodes) {
  EXPECT_TRUE(gpu_devices::Nodes({std::nullopt, root_}).empty());
}

const MountOp* FindOp(const MountPlan& plan, MountOp::Kind kind, const std::string& target) {
  for (const MountOp& op : plan.ops) {
    if (op.kind == kind && op.target == target) return &op;
  }
  return nullptr;
}

// A caller already moved into the host leaf (by an earlier run) puts sandboxes beside the
// leaf, not under it: each run used to nest one "referee-host" deeper (seen on the GPU host).
TEST(CgroupV2Base, ACallerInTheHostLeafUsesTheLeafsParent) {
  using cgroup::V2BaseFor;
  EXPECT_EQ(V2BaseFor("/service/referee-host"), "/service");
  EXPECT_EQ(V2BaseFor("/service"), "/service");
  EXPECT_EQ(V2BaseFor(""), "");
  EXPECT_EQ(V2BaseFor("/referee-host"), "");
  EXPECT_EQ(V2BaseFor("/service/not-referee-host"), "/service/not-referee-host");
  EXPECT_EQ(V2BaseFor("/service/referee-host/x"), "/service/referee-host/x");
}

TEST(MountnsPlan, BuildsAMinimalView) {
  Policy policy = PolicyBuilder(Profile::kPython).AddBind({"/usr/bin", "/tools"}).Build().value();
  Expected<MountPlan> plan = mountns::Plan({&policy, {"/dev/null"}, {}});
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  const MountOp* usr = FindOp(*plan, MountOp::kBind, "/usr");
  ASSERT_NE(usr, nullptr);
  EXPECT_FALSE(usr->writable);
  EXPECT_NE(FindOp(*plan, MountOp::kBind, "/tools"), nullptr);
  EXPECT_NE(FindOp(*plan, MountOp::kTmpfs, "/scratch"), nullptr) << "no scratch dir: a tmpfs";
  EXPECT_NE(FindOp(*plan, MountOp::kTmpfs, "/tmp"), nullptr);
  EXPECT_NE(FindOp(*plan, MountOp::kTmpfs, "/dev/shm"), nullptr);
  EXPECT_NE(FindOp(*plan, MountOp::kWriteFile, "/etc/passwd"), nullptr);
  EXPECT_EQ(FindOp(*plan, MountOp::kBind, "/etc"), nullptr) << "host /etc is never bound whole";
  EXPECT_EQ(FindOp(*plan, MountOp::kBind, "/home"), nullptr);
  const MountOp* node = FindOp(*plan, MountOp::kBind, "/dev/null");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->device);
}

TEST(MountnsPlan, ScratchDirIsABind) {
  Policy policy = PolicyBuilder(Profile::kKernel).SetScratchDir("/tmp").Build().value();
  Expected<MountPlan> plan = mountns::Plan({&policy, {}, {}});
  ASSERT_TRUE(plan.has_value());
  const MountOp* scratch = FindOp(*plan, MountOp::kBind, "/scratch");
  ASSERT_NE(scratch, nullptr);
  EXPECT_TRUE(scratch->writable);
  EXPECT_EQ(FindOp(*plan, MountOp::kBind, "/opt"), nullptr) << "kernel profile: no /opt";
}

TEST(MountnsPlan, MissingBindSourceIsAnError) {
  Policy policy = PolicyBuilder(Profile::kKernel).AddBind({"/nonexistent-x", "/x"}).Build().value();
  Expected<MountPlan> plan = mountns::Plan({&policy, {}, {}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message(), "bind source does not exist: /nonexistent-x");
}

uint64_t AccessOf(const LandlockPlan& plan, const std::string& path) {
  for (const LandlockRule& r : plan.rules) {
    if (r.path == path) return r.access;
  }
  return 0;
}

TEST(LandlockPlan, KernelProfileExecutesOnlyTheCommand) {
  Policy policy = PolicyBuilder(Profile::kKernel).Build().value();
  LandlockPlan plan = landlock::Plan({&policy, 7, "/usr/bin/true", "/lib64/ld-linux-x86-64.so.2",
                                      {}, {"/usr"}});
  EXPECT_TRUE(AccessOf(plan, "/usr/bin/true") & LANDLOCK_ACCESS_FS_EXECUTE);
  EXPECT_TRUE(AccessOf(plan, "/lib64/ld-linux-x86-64.so.2") & LANDLOCK_ACCESS_FS_EXECUTE);
  EXPECT_EQ(AccessOf(plan, "/usr"), 0u) << "no exec rule on the toolchain";
  EXPECT_FALSE(AccessOf(plan, "/scratch") & LANDLOCK_ACCESS_FS_EXECUTE);
  EXPECT_FALSE(AccessOf(plan, "/") & LANDLOCK_ACCESS_FS_WRITE_FILE);
}

TEST(LandlockPlan, PythonProfileExecutesTheToolchainAndGpuNodesGetIoctl) {
  Policy policy = PolicyBuilder(Profile::kPython).Build().value();
  LandlockPlan plan =
      landlock::Plan({&policy, 7, "/usr/bin/python3", "", {"/dev/nvidia0"}, {"/usr"}});
  EXPECT_TRUE(AccessOf(plan, "/usr") & LANDLOCK_ACCESS_FS_EXECUTE);
  EXPECT_TRUE(AccessOf(plan, "/dev/nvidia0") & (1ULL << 15)) << "IOCTL_DEV on the GPU node";
  EXPECT_FALSE(AccessOf(plan, "/dev/null") & (1ULL << 15)) << "no ioctls on other nodes";
  EXPECT_FALSE(AccessOf(plan, "/dev/nvidia0") & LANDLOCK_ACCESS_FS_READ_DIR) << "file: no dir rights";
  EXPECT_TRUE(AccessOf(plan, "/proc") & (1ULL << 14)) << "TRUNCATE for CUDA's comm write";
  EXPECT_EQ(plan.scoped, 3u) << "signals and abstract sockets scoped";
  EXPECT_EQ(plan.handled_net, 3u) << "TCP bind/connect handled, never granted";
}

TEST(LandlockPlan, OlderAbisHandleOnlyWhatTheyKnow) {
  Policy policy = PolicyBuilder(Profile::kPython).Build().value();
  LandlockPlan plan = landlock::Plan({&policy, 1, "/usr/bin/python3", "", {}, {"/usr"}});
  EXPECT_EQ(plan.handled_fs, (1ULL << 13) - 1);
  EXPECT_EQ(plan.handled_net, 0u);
  EXPECT_EQ(plan.scoped, 0u);
  for (const LandlockRule& r : plan.rules) EXPECT_EQ(r.access & ~plan.handled_fs, 0u) << r.path;
}

TEST(RlimitsPlan, NoAddressSpaceLimit) {
  Limits limits;
  for (const RlimitSetting& s : rlimits::Plan(limits)) {
    EXPECT_NE(s.resource, RLIMIT_AS) << "CUDA reserves > 12 GiB of address space";
    EXPECT_NE(s.resource, RLIMIT_DATA);
    if (s.resource == RLIMIT_CORE) EXPECT_EQ(s.value, 0u);
    if (s.resource == RLIMIT_NPROC) EXPECT_EQ(s.value, limits.pids);
  }
}

}  // namespace
}  // namespace referee::sandbox::internal
