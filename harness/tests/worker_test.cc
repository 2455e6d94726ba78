// Arena slot allocation, input generators, and the worker channel against real processes.
#include <cmath>
#include <gtest/gtest.h>

#include <set>

#include "referee/harness/generate.h"
#include "referee/harness/worker.h"
#include "checks/candidate_session.h"

namespace referee::harness {
namespace {

TEST(SlotAllocator, AddressesNeverRepeatAndPreviousTwoCallsStayIntact) {
  const size_t callset = 3 * 1024;
  SlotAllocator slots(8 * callset + 4096, callset);
  std::set<size_t> seen;
  std::vector<std::vector<size_t>> calls;  // each call's buffer offsets (1024 B each)
  for (int call = 0; call < 36; ++call) {  // 108 buffers < 112 starts
    std::vector<size_t> now = {slots.Allocate(1024), slots.Allocate(1024), slots.Allocate(1000)};
    for (size_t x : now) EXPECT_TRUE(seen.insert(x).second) << "call " << call << " reuses " << x;
    for (int back = 1; back <= 2 && call - back >= 0; ++back) {
      for (size_t x : now) {
        for (size_t p : calls[call - back]) {
          EXPECT_TRUE(x + 1024 <= p || x >= p + 1024) << call << " overlaps call -" << back;
        }
      }
    }
    calls.push_back(now);
  }
}

ConcreteTensor Tensor(std::vector<long long> shape, DType dt, const char* kind, double a = 0,
                      double b = 1) {
  ConcreteTensor t;
  t.spec.dtype = dt;
  t.spec.generator = {kind, a, b};
  t.shape = shape;
  for (long long n : shape) t.numel *= static_cast<size_t>(n);
  return t;
}

TEST(Generate, StructuredGeneratorsHaveTheirStructure) {
  std::mt19937_64 rng(3);
  std::vector<float> buf(64);
  GenerateTensor(Tensor({8, 8}, DType::kFloat32, "causal_mask"), rng, buf.data());
  EXPECT_EQ(buf[0 * 8 + 1], 0);
  EXPECT_EQ(buf[3 * 8 + 2], 1);
  GenerateTensor(Tensor({8, 8}, DType::kFloat32, "one_hot"), rng, buf.data());
  for (int r = 0; r < 8; ++r) {
    float sum = 0;
    for (int c = 0; c < 8; ++c) sum += buf[r * 8 + c];
    EXPECT_EQ(sum, 1);
  }
  GenerateTensor(Tensor({4, 16}, DType::kFloat32, "sorted", -1, 1), rng, buf.data());
  for (int i = 1; i < 16; ++i) EXPECT_LE(buf[i - 1], buf[i]);
  std::vector<int32_t> ints(64);
  GenerateTensor(Tensor({64}, DType::kInt32, "randint", 5, 9), rng, ints.data());
  for (int v : ints) EXPECT_TRUE(v >= 5 && v < 9);
}

TEST(Generate, FreshSeedsGiveFreshValues) {
  std::mt19937_64 rng(11);
  std::vector<float> a(32), b(32);
  ConcreteTensor t = Tensor({32}, DType::kFloat32, "normal", 0, 1);
  GenerateTensor(t, rng, a.data());
  GenerateTensor(t, rng, b.data());
  EXPECT_NE(a, b);
}

// Large tensors fill in parallel chunks (own streams): the values are the seed's alone and
// keep their distribution across chunk borders.
TEST(Generate, LargeTensorsAreReproducibleAndDistributed) {
  ConcreteTensor normal = Tensor({1 << 20}, DType::kFloat32, "normal", 2, 3);
  std::vector<float> a(normal.numel), b(normal.numel);
  std::mt19937_64 r1(5), r2(5);
  GenerateTensor(normal, r1, a.data());
  GenerateTensor(normal, r2, b.data());
  EXPECT_EQ(a, b);
  double sum = 0, sq = 0;
  for (float v : a) sum += v, sq += double(v) * v;
  double mean = sum / a.size(), var = sq / a.size() - mean * mean;
  EXPECT_NEAR(mean, 2, 0.02);
  EXPECT_NEAR(std::sqrt(var), 3, 0.02);
  EXPECT_NE(a[0], a[1 << 16]);  // chunks draw from different streams
  ConcreteTensor uniform = Tensor({1 << 19}, DType::kBFloat16, "uniform", -1, 1);
  std::vector<uint16_t> u(uniform.numel);
  GenerateTensor(uniform, r1, u.data());
  double lo = 1, hi = -1;
  for (size_t k = 0; k < u.size(); ++k) {
    double v = LoadElement(u.data(), k, DType::kBFloat16);
    lo = std::min(lo, v), hi = std::max(hi, v);
  }
  EXPECT_GE(lo, -1);
  EXPECT_LE(hi, 1);
  EXPECT_LT(lo, -0.99);
  EXPECT_GT(hi, 0.99);
}

// The normal generator's shape, not just its moments: the mass beyond 1, 2 and 3 standard
// deviations (0.3173, 0.0455, 0.0027) and the far tail (the ziggurat's base-layer tail path).
TEST(Generate, NormalValuesHaveTheNormalsTails) {
  ConcreteTensor t = Tensor({1 << 22}, DType::kFloat32, "normal", 0, 1);
  std::vector<float> v(t.numel);
  std::mt19937_64 rng(17);
  GenerateTensor(t, rng, v.data());
  double beyond[4] = {0, 0, 0, 0};
  for (float x : v) {
    double a = std::fabs(x);
    for (int k = 1; k <= 3; ++k) beyond[k] += a > k;
    beyond[0] += a > 3.6;
  }
  double n = static_cast<double>(v.size());
  EXPECT_NEAR(beyond[1] / n, 0.3173, 0.002);
  EXPECT_NEAR(beyond[2] / n, 0.0455, 0.0007);
  EXPECT_NEAR(beyond[3] / n, 0.0027, 0.0002);
  EXPECT_NEAR(beyond[0] / n, 0.000318, 0.00006);  // past 3.44: the tail path
}

WorkerSpec PythonSpec(const std::string& body) {
  WorkerSpec s;
  s.argv = {"/usr/bin/python3", "-c", body};
  s.env = {{"PATH", "/usr/bin:/bin"}};
  s.arena_bytes = 1 << 20;
  s.start_timeout_s = 5;
  return s;
}

constexpr char kPrelude[] =
    "import socket,json,os,time\n"
    "c=socket.socket(fileno=3)\n";

TEST(Worker, TalksSequencedRecordsAndSeesThreads) {
  auto launcher = MakePlainLauncher();
  auto w = Worker::Start(PythonSpec(std::string(kPrelude) +
                                    "c.send(b'{\"seq\":0,\"ok\":true}')\n"
                                    "while True:\n"
                                    "  r=json.loads(c.recv(99999))\n"
                                    "  c.send(json.dumps({'seq':r['seq'],'ok':True}).encode())\n"),
                         *launcher);
  ASSERT_TRUE(w) << w.error().ToString();
  EXPECT_GT((*w)->pid(), 0);
  EXPECT_EQ((*w)->ThreadCount(), 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*w)->Request(Json{{"op", "noop"}}, 5));
  EXPECT_EQ((*w)->failure(), nullptr);
}

TEST(Worker, WrongSequenceIsAProtocolFailure) {
  auto launcher = MakePlainLauncher();
  auto w = Worker::Start(PythonSpec(std::string(kPrelude) +
                                    "c.send(b'{\"seq\":0,\"ok\":true}')\n"
                                    "c.recv(999)\nc.send(b'{\"seq\":7,\"ok\":true}')\n"
                                    "time.sleep(5)\n"),
                         *launcher);
  ASSERT_TRUE(w);
  EXPECT_FALSE((*w)->Request(Json{{"op", "noop"}}, 5));
  ASSERT_NE((*w)->failure(), nullptr);
  EXPECT_EQ((*w)->failure()->check, "protocol");
}

TEST(Worker, HangIsATimeoutAndCrashIsReported) {
  auto launcher = MakePlainLauncher();
  auto hang = Worker::Start(PythonSpec(std::string(kPrelude) +
                                       "c.send(b'{\"seq\":0,\"ok\":true}')\ntime.sleep(60)\n"),
                            *launcher);
  ASSERT_TRUE(hang);
  EXPECT_FALSE((*hang)->Request(Json{{"op", "noop"}}, 0.3));
  EXPECT_EQ((*hang)->failure()->check, "timeout");
  auto crash = Worker::Start(PythonSpec(std::string(kPrelude) +
                                        "c.send(b'{\"seq\":0,\"ok\":true}')\nc.recv(99)\n"
                                        "os.kill(os.getpid(), 11)\n"),
                             *launcher);
  ASSERT_TRUE(crash);
  EXPECT_FALSE((*crash)->Request(Json{{"op", "noop"}}, 5));
  EXPECT_EQ((*crash)->failure()->check, "crash");
  EXPECT_NE((*crash)->failure()->reason.find("signal 11"), std::string::npos);
}

// A start-up that hangs names where: the worker registers faulthandler for
// REFEREE_HANG_SIGNAL (as referee_worker.py does), the parent sends it at the timeout, and the
// evidence (the worker's own words, apart from the reason) carries the innermost frame of the
// thread that runs the module; the Status, for trusted callers, carries both.
TEST(Worker, StartHangNamesWhereItHung) {
  auto launcher = MakePlainLauncher();
  WorkerFailure why;
  auto w = Worker::Start(PythonSpec("import faulthandler,os,threading,time\n"
                                    "faulthandler.register(\n"
                                    "  int(os.environ['REFEREE_HANG_SIGNAL']), all_threads=True)\n"
                                    "threading.Thread(target=time.sleep, args=(60,)).start()\n"
                                    "def wait_for_device():\n"
                                    "  time.sleep(60)\n"
                                    "wait_for_device()\n"),
                         *launcher, &why);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("no reply within 5.0 s (hang): at File \"<string>\", "
                                     "line 6 in wait_for_device"),
            std::string::npos)
      << w.error().message();
  EXPECT_EQ(why.check, "timeout");
  EXPECT_EQ(why.reason, "no reply within 5.0 s (hang)");
  EXPECT_EQ(why.evidence, "at File \"<string>\", line 6 in wait_for_device");
}

TEST(Worker, NonJsonHelloFailsToStart) {
  auto launcher = MakePlainLauncher();
  auto w = Worker::Start(PythonSpec(std::string(kPrelude) + "c.send(b'garbage')\n"), *launcher);
  EXPECT_FALSE(w);
}

}  // namespace
}  // namespace referee::harness
