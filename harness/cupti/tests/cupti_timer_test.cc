#include "referee/cupti/cupti_timer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "trace_builder.h"

namespace referee::cupti {
namespace {

uint64_t Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// Plays the injection library's side of the pipe, frame by frame.
class FakeTracer {
 public:
  FakeTracer() {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    read_end_ = fds[0];
    write_end_ = fds[1];
    Frame({}, kFrameStart);
  }
  ~FakeTracer() { Close(); }
  int TakeReadEnd() { return read_end_; }
  void Frame(const std::vector<WireRecord>& records, uint32_t flags = 0, uint64_t dropped = 0) {
    total_ += records.size();
    FrameHeader h{kFrameMagic, kWireVersion, seq_++, static_cast<uint32_t>(records.size()),
                  flags,       dropped,      total_, 1,
                  130001};
    std::string bytes(reinterpret_cast<const char*>(&h), sizeof(h));
    bytes.append(reinterpret_cast<const char*>(records.data()),
                 records.size() * sizeof(WireRecord));
    ASSERT_EQ(write(write_end_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void Close() {
    if (write_end_ >= 0) close(write_end_);
    write_end_ = -1;
  }
  // One call window [t, t+1000] with a kernel [t+100, t+600] on `stream`; drained at t+700.
  std::vector<WireRecord> Call(uint64_t id, uint64_t t, uint32_t stream = 7) {
    testing::TraceBuilder b;
    b.Window(id, WindowKind::kCall, t, t + 1000, t + 700).Kernel("k", t + 100, t + 600, stream);
    return b.records();
  }

 private:
  int read_end_ = -1;
  int write_end_ = -1;
  uint64_t seq_ = 0;
  uint64_t total_ = 0;
};

CuptiTimerOptions Fast() {
  CuptiTimerOptions o;
  o.trace_timeout_s = 0.5;
  return o;
}

TEST(CuptiTimerTest, SamplesEachCallsSpan) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  for (uint64_t id = 1; id <= 3; ++id) {
    timer.Begin();
    tracer.Frame(tracer.Call(id, Now()));
    timer.End();
    Expected<double> s = timer.Sample({});
    ASSERT_TRUE(s) << s.error().ToString();
    EXPECT_DOUBLE_EQ(*s, 500e-9);
  }
  tracer.Frame({}, kFrameFinal);
  tracer.Close();
  EXPECT_TRUE(timer.Finish().ok());
}

TEST(CuptiTimerTest, UnjoinedSideStreamFailsTheSample) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  uint64_t t = Now();
  testing::TraceBuilder b;
  b.Window(1, WindowKind::kCall, t, t + 40000, t + 100).Kernel("side", t + 200, t + 30000, 13);
  tracer.Frame(b.records());
  timer.End();
  Expected<double> s = timer.Sample({});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message().rfind("unjoined-stream: ", 0), 0u) << s.error().message();
}

TEST(CuptiTimerTest, WrongWindowIdIsASequenceError) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  tracer.Frame(tracer.Call(1, Now()));
  timer.End();
  ASSERT_TRUE(timer.Sample({}));
  timer.Begin();
  // An extra call window nobody asked for, in the frame that closes call 2 (in a frame of its
  // own the reader thread may not have parsed it yet when Sample attributes call 2; then the
  // next Sample or Finish reports it).
  auto records = tracer.Call(2, Now());
  auto forged = tracer.Call(3, Now() + 2000);
  records.insert(records.end(), forged.begin(), forged.end());
  tracer.Frame(records);
  timer.End();
  Expected<double> s = timer.Sample({});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message().rfind("window-sequence: ", 0), 0u) << s.error().message();
}

TEST(CuptiTimerTest, WindowFromAnotherThreadIsForged) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  uint64_t t = Now();
  testing::TraceBuilder b;
  b.Window(1, WindowKind::kCall, t, t + 1000)
      .Kernel("k", t + 100, t + 200)
      .Window(90, WindowKind::kHarness, t + 2000, t + 3000, 0, /*tid=*/555)
      .Kernel("hidden", t + 2100, t + 2900, 7, /*tid=*/555);
  tracer.Frame(b.records());
  timer.End();
  Expected<double> s = timer.Sample({});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("opened by thread 555"), std::string::npos);
}

TEST(CuptiTimerTest, DroppedRecordsFailTheSample) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  tracer.Frame(tracer.Call(1, Now()), 0, /*dropped=*/4);
  timer.End();
  Expected<double> s = timer.Sample({});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "trace-invalid: CUPTI dropped 4 records");
}

TEST(CuptiTimerTest, MissingClosingMarkerTimesOut) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  timer.End();
  Expected<double> s = timer.Sample({});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), StatusCode::kDeadlineExceeded);
}

TEST(CuptiTimerTest, FinishCatchesWorkAfterTheLastCall) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  timer.Begin();
  uint64_t t = Now();
  tracer.Frame(tracer.Call(1, t));
  timer.End();
  ASSERT_TRUE(timer.Sample({}));
  testing::TraceBuilder late(/*after=*/100);
  late.Kernel("deferred", t + 5000, t + 9000, 7, /*tid=*/555);
  tracer.Frame(late.records());
  tracer.Frame({}, kFrameFinal);
  tracer.Close();
  Status s = timer.Finish();
  EXPECT_EQ(s.message().rfind("activity-outside-window: ", 0), 0u) << s.message();
}

TEST(CuptiTimerTest, TracePipeFeedsTheTimerAndEnvNamesTheChildFd) {
  Expected<TracePipe> p = MakeTracePipe();
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(fcntl(p->read_end.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  auto env = TraceEnv("/opt/libreferee_cupti_inject.so", 5);
  EXPECT_EQ(env["REFEREE_CUPTI_FD"], "5");
  EXPECT_EQ(env["CUDA_INJECTION64_PATH"], "/opt/libreferee_cupti_inject.so");
  CuptiTimer timer(std::move(p->read_end), Fast());
  std::string stream = testing::TraceBuilder().Encode();
  ASSERT_EQ(write(p->write_end.get(), stream.data(), stream.size()),
            static_cast<ssize_t>(stream.size()));
  p->write_end.Reset();
  EXPECT_TRUE(timer.Finish().ok());
}

TEST(CuptiTimerTest, FinishWithoutFinalFrameIsTraceInvalid) {
  FakeTracer tracer;
  CuptiTimer timer(UniqueFd(tracer.TakeReadEnd()), Fast());
  tracer.Close();
  Status s = timer.Finish();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("no final frame"), std::string::npos);
}

}  // namespace
}  // namespace referee::cupti

namespace referee::cupti {
namespace {

// The harness hook: env and child fd placed in the spec; the parent's write end dropped once
// the worker started; a worker that never ran the tracer leaves an invalid trace.
TEST(MakeTracedTimerTest, PlacesThePipeAndFailsATraceWithoutFrames) {
  harness::WorkerSpec spec;
  Expected<std::unique_ptr<harness::Timer>> timer = MakeTracedTimer("/abs/inject.so", spec);
  ASSERT_TRUE(timer) << timer.error().ToString();
  EXPECT_EQ(spec.env.at("CUDA_INJECTION64_PATH"), "/abs/inject.so");
  EXPECT_EQ(spec.env.at(kEnvTraceFd), std::to_string(kTraceChildFd));
  ASSERT_EQ(spec.extra_fds.count(kTraceChildFd), 1u);
  int write_end = spec.extra_fds.at(kTraceChildFd);
  EXPECT_GE(fcntl(write_end, F_GETFD), 0);
  (*timer)->OnWorkerStarted();  // no child holds it: the trace ends now
  Status s = (*timer)->Finish();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("trace-invalid"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace referee::cupti
