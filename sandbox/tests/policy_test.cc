#include <gtest/gtest.h>

#include "host_check.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox {
namespace {

TEST(PolicyBuilder, RejectsWritableBindWithoutToken) {
  Expected<Policy> p = PolicyBuilder(Profile::kKernel).AddBind({"/work", "/w", false}).Build();
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(), "writable bind /w needs AddWritableBind (it weakens isolation)");
}

TEST(PolicyBuilder, AcceptsWritableBindWithToken) {
  Expected<Policy> p =
      PolicyBuilder(Profile::kKernel)
          .AddWritableBind("/work", "/w", WeakensIsolation::Because("test"))
          .Build();
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->binds.size(), 1u);
  EXPECT_FALSE(p->binds[0].read_only);
}

TEST(PolicyBuilder, KeepsFirstError) {
  Expected<Policy> p = PolicyBuilder(Profile::kPython)
                           .AddBind({"relative", "/x"})
                           .SetWallTime(-1)
                           .Build();
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(), "bind paths must be absolute: relative:/x");
}

TEST(PolicyBuilder, RejectsReservedTargets) {
  for (const char* target : {"/proc", "/dev/nvidia1", "/", "/scratch", "/a/../proc"}) {
    Expected<Policy> p = PolicyBuilder(Profile::kPython).AddBind({"/usr", target}).Build();
    EXPECT_FALSE(p.has_value()) << target;
  }
}

TEST(PolicyBuilder, DataDirNeedsTrainingProfile) {
  EXPECT_FALSE(PolicyBuilder(Profile::kPython).SetDataDir("/data").Build().has_value());
  EXPECT_TRUE(PolicyBuilder(Profile::kTraining).SetDataDir("/srv/d").Build().has_value());
}

TEST(PolicyBuilder, InheritedFdsMustNotShadowStdio) {
  EXPECT_FALSE(PolicyBuilder(Profile::kKernel)
                   .InheritFd(1, WeakensIsolation::Because("test"))
                   .Build()
                   .has_value());
}

TEST(Names, RoundTrip) {
  for (const char* name : {"user-namespace", "seccomp", "landlock", "cgroup-limits"}) {
    Expected<Layer> layer = ParseLayer(name);
    ASSERT_TRUE(layer.has_value()) << name;
    EXPECT_EQ(LayerName(*layer), name);
  }
  EXPECT_FALSE(ParseLayer("selinux").has_value());
  EXPECT_EQ(ParseProfile("training").value(), Profile::kTraining);
  EXPECT_FALSE(ParseProfile("gpu").has_value());
}

TEST(Run, RefusesEmptyCommand) {
  Expected<Policy> p = PolicyBuilder(Profile::kKernel).Build();
  Expected<RunResult> r = sandbox::Run(*p, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "no command given");
}

HostReport FakeHost(bool landlock) {
  HostReport host;
  host.layers.push_back({Layer::kSeccomp, true, "filter + user notification"});
  host.layers.push_back({Layer::kLandlock, landlock, landlock ? "ABI 7" : "not enabled in this kernel"});
  return host;
}

TEST(CheckHost, RefusesAMissingLayer) {
  Policy policy = PolicyBuilder(Profile::kKernel).Build().value();
  std::vector<Layer> skipped;
  Status s = internal::CheckHost(policy, FakeHost(false), &skipped);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "sandbox layer 'landlock' is unavailable on this host (not enabled in this kernel); "
            "refusing to run (--allow-degraded landlock accepts weaker isolation)");
}

TEST(CheckHost, SkipsAMissingLayerOnlyWhenDegraded) {
  Policy policy = PolicyBuilder(Profile::kKernel)
                      .AllowDegraded(Layer::kLandlock, WeakensIsolation::Because("test"))
                      .Build()
                      .value();
  std::vector<Layer> skipped;
  EXPECT_TRUE(internal::CheckHost(policy, FakeHost(false), &skipped).ok());
  EXPECT_EQ(skipped, std::vector<Layer>{Layer::kLandlock});
  skipped.clear();
  EXPECT_TRUE(internal::CheckHost(policy, FakeHost(true), &skipped).ok());
  EXPECT_TRUE(skipped.empty()) << "an available layer is never skipped, degraded or not";
}

}  // namespace
}  // namespace referee::sandbox
