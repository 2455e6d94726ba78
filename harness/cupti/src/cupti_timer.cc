#include "referee/cupti/cupti_timer.h"

#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "referee/base/strings.h"
#include "referee/harness/task.h"
#include "windows_internal.h"

namespace referee::cupti {
namespace {

// CUPTI timestamps are CLOCK_REALTIME nanoseconds on Linux (research/timing.md §2.3).
uint64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

Expected<TracePipe> MakeTracePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2 for the CUPTI trace", errno);
  TracePipe p{UniqueFd(fds[0]), UniqueFd(fds[1])};
  // A large pipe lets the worker flush a call's records without waiting for the reader.
  fcntl(p.write_end.get(), F_SETPIPE_SZ, 1 << 20);
  return p;
}

std::map<std::string, std::string> TraceEnv(const std::string& inject_lib, int child_fd) {
  return {{"CUDA_INJECTION64_PATH", inject_lib}, {kEnvTraceFd, std::to_string(child_fd)}};
}

Expected<std::unique_ptr<harness::Timer>> MakeTracedTimer(const std::string& inject_lib,
                                                          harness::WorkerSpec& spec,
                                                          CuptiTimerOptions options) {
  REFEREE_ASSIGN_OR_RETURN(TracePipe pipe, MakeTracePipe());
  for (auto& [k, v] : TraceEnv(inject_lib, kTraceChildFd)) spec.env[k] = v;
  spec.extra_fds[kTraceChildFd] = pipe.write_end.get();
  spec.fd_env[kTraceChildFd] = kEnvTraceFd;
  auto timer = std::make_unique<CuptiTimer>(std::move(pipe.read_end), options);
  timer->KeepChildEnd(std::move(pipe.write_end));
  return std::unique_ptr<harness::Timer>(std::move(timer));
}

CuptiTimer::CuptiTimer(UniqueFd trace_read_end, CuptiTimerOptions options)
    : fd_(std::move(trace_read_end)), options_(options) {
  reader_ = std::thread([this] { ReadLoop(); });
}

CuptiTimer::~CuptiTimer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  reader_.join();
}

void CuptiTimer::ReadLoop() {
  std::vector<char> buf(1 << 20);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    pollfd p{fd_.get(), POLLIN, 0};
    int ready = poll(&p, 1, 50);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    ssize_t n = ready < 0 ? -1 : read(fd_.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (n <= 0) {
      eof_ = true;
      cv_.notify_all();
      return;
    }
    parser_.Feed(std::string_view(buf.data(), static_cast<size_t>(n))).IgnoreError();
    cv_.notify_all();
  }
}

void CuptiTimer::Begin() { begin_ns_ = RealtimeNs(); }

void CuptiTimer::End() {
  uint64_t end = RealtimeNs();
  std::lock_guard<std::mutex> lock(mu_);
  walls_.push_back({begin_ns_, end});
}

double CuptiTimer::last_round_trip_s() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (walls_.empty()) return 0;
  return static_cast<double>(walls_.back().end_ns - walls_.back().begin_ns) * 1e-9;
}

bool CuptiTimer::WindowClosedLocked(uint64_t id) {
  const std::vector<WireRecord>& records = parser_.trace().records;
  for (; scanned_ < records.size(); ++scanned_) {
    const WireRecord& r = records[scanned_];
    if (r.kind == RecordKind::kWindowEnd && r.flags == static_cast<uint16_t>(WindowKind::kCall)) {
      closed_calls_.push_back(r.aux);
    }
  }
  return std::find(closed_calls_.begin(), closed_calls_.end(), id) != closed_calls_.end();
}

// Call windows are the ones this timer saw, numbered from 1 with the parent's wall interval;
// harness and setup windows are the worker's own and are taken as they come.
std::vector<ExpectedWindow> CuptiTimer::ExpectedLocked() const {
  std::vector<Finding> ignored;
  std::vector<ExpectedWindow> out;
  uint64_t call = 0;
  for (const WindowTiming& w : internal::BuildWindows(parser_.trace().records, ignored)) {
    if (w.kind != WindowKind::kCall) {
      out.push_back({w.id, w.kind, std::nullopt});
      continue;
    }
    // A call window beyond the calls this parent made is left out, so the lists differ.
    if (++call > walls_.size()) continue;
    out.push_back({call, WindowKind::kCall, walls_[call - 1]});
  }
  return out;
}

Attribution CuptiTimer::AttributeLocked() const {
  Attribution a = Attribute(parser_.trace(), ExpectedLocked(), options_.attribution);
  // Only the worker's serving thread opens windows: a window from any other thread (say, a
  // candidate's background thread posing as the harness) is forged.
  for (const WindowTiming& w : a.windows) {
    if (w.thread_id != a.windows.front().thread_id) {
      a.findings.insert(a.findings.begin(),
                        {Violation::kWindowSequence, w.id,
                         StrFormat("window %llu opened by thread %u, not the worker's %u",
                                   static_cast<unsigned long long>(w.id), w.thread_id,
                                   a.windows.front().thread_id)});
      break;
    }
  }
  return a;
}

Attribution CuptiTimer::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return AttributeLocked();
}

void CuptiTimer::SetKernelPolicy(const harness::KernelPolicy& policy) {
  std::lock_guard<std::mutex> lock(mu_);
  options_.attribution.require_own_kernels = policy.require_own;
  options_.attribution.max_library_share = policy.max_library_share;
  options_.attribution.allowed_library_kernels = policy.allow;
}

Status CuptiTimer::FindingsToStatus(const Attribution& a) const {
  if (a.ok()) return OkStatus();
  const Finding& f = a.findings.front();
  // The rejected call's GPU span: what it really took (a side stream's kernel included).
  std::string span;
  for (const WindowTiming& w : a.windows) {
    if (w.id == f.window_id && w.kind == WindowKind::kCall && w.span_ns > 0) {
      span = StrFormat(", GPU span %.1f us", static_cast<double>(w.span_ns) * 1e-3);
    }
  }
  return FailedPreconditionError(
      StrFormat("%s: %s (window %llu%s)", std::string(ViolationId(f.violation)).c_str(),
                f.detail.c_str(), static_cast<unsigned long long>(f.window_id), span.c_str()));
}

Expected<double> CuptiTimer::Sample(const harness::Reply&) {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t id = walls_.size();
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(options_.trace_timeout_s);
  while (!WindowClosedLocked(id)) {
    Status parsed = parser_.Feed({});
    if (!parsed.ok()) return Status(parsed.code(), "trace-invalid: " + parsed.message());
    if (eof_)
      return DataLossError(
          StrFormat("trace-invalid: the trace ended before call %llu "
                    "closed its window",
                    static_cast<unsigned long long>(id)));
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && !WindowClosedLocked(id)) {
      return DeadlineExceededError(StrFormat(
          "trace-invalid: no closing marker for call %llu on the trace pipe (was the worker "
          "started under the tracer, and does it flush before replying?)",
          static_cast<unsigned long long>(id)));
    }
  }
  if (parser_.trace().dropped > 0) {
    return ResourceExhaustedError(
        StrFormat("trace-invalid: CUPTI dropped %llu records",
                  static_cast<unsigned long long>(parser_.trace().dropped)));
  }
  Attribution a = AttributeLocked();
  REFEREE_RETURN_IF_ERROR(FindingsToStatus(a));
  uint64_t seen = 0;
  for (const WindowTiming& w : a.windows) {
    if (w.kind == WindowKind::kCall && ++seen == id) return static_cast<double>(w.span_ns) * 1e-9;
  }
  return InternalError("closed call window missing from the attribution");
}

Status CuptiTimer::Finish() {
  std::unique_lock<std::mutex> lock(mu_);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(options_.trace_timeout_s);
  while (!eof_) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && !eof_) {
      return DeadlineExceededError("trace-invalid: the trace pipe did not close (worker alive?)");
    }
  }
  Status complete = parser_.Finish();
  if (!complete.ok()) return Status(complete.code(), "trace-invalid: " + complete.message());
  return FindingsToStatus(AttributeLocked());
}

}  // namespace referee::cupti
