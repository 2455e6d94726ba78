// CUPTI injection library: the driver dlopens it (CUDA_INJECTION64_PATH) during cuInit and
// calls InitializeInjection. It traces every kernel, copy, memset and synchronisation of the
// process, on any stream or thread, and streams the records to the parent over the fd named by
// REFEREE_CUPTI_FD (format: trace_format.h). It never enables CUPTI_ACTIVITY_KIND_KERNEL, which
// serialises all kernels (cupti_activity.h).
//
// Built with default visibility for InitializeInjection: with -fvisibility=hidden the driver
// skips the library silently (research/timing.md §1.5).
#include <cuda.h>
#include <cupti.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "referee/cupti/injection_api.h"
#include "referee/cupti/trace_format.h"

namespace referee::cupti {
namespace {

constexpr size_t kDefaultBufferBytes = 8u << 20;
constexpr size_t kMaxRecordsPerFrame = 4096;

struct State {
  int fd = -1;
  uint64_t seq = 0;
  uint64_t dropped = 0;
  uint64_t records_total = 0;
  uint32_t cupti_version = 0;
  size_t buffer_bytes = kDefaultBufferBytes;
  bool finished = false;
  std::mutex mu;  // guards everything above and `pending`
  std::vector<WireRecord> pending;
};

// Never destroyed: CUPTI may call back from its own thread during exit.
State& GetState() {
  static State* state = new State;
  return *state;
}

uint32_t Tid() { return static_cast<uint32_t>(syscall(SYS_gettid)); }

uint64_t Now() {
  uint64_t t = 0;
  cuptiGetTimestamp(&t);
  return t;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Writes one frame holding records [begin, end) of `records`. Caller holds state.mu.
void WriteFrameLocked(State& state, const WireRecord* records, size_t count, uint32_t flags) {
  state.records_total += count;
  FrameHeader header{kFrameMagic,
                     kWireVersion,
                     state.seq++,
                     static_cast<uint32_t>(count),
                     flags,
                     state.dropped,
                     state.records_total,
                     static_cast<uint32_t>(getpid()),
                     state.cupti_version};
  std::vector<char> frame(sizeof(header) + count * sizeof(WireRecord));
  std::memcpy(frame.data(), &header, sizeof(header));
  if (count > 0) std::memcpy(frame.data() + sizeof(header), records, count * sizeof(WireRecord));
  WriteAll(state.fd, frame.data(), frame.size());
}

void DrainPendingLocked(State& state) {
  for (size_t i = 0; i < state.pending.size(); i += kMaxRecordsPerFrame) {
    size_t count = std::min(kMaxRecordsPerFrame, state.pending.size() - i);
    WriteFrameLocked(state, state.pending.data() + i, count, 0);
  }
  state.pending.clear();
}

void CopyName(WireRecord& out, const char* name) {
  if (name == nullptr) return;
  std::strncpy(out.name, name, sizeof(out.name) - 1);
}

bool Convert(const CUpti_Activity* record, WireRecord& out) {
  out = WireRecord{};
  switch (record->kind) {
    case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL: {
      auto* k = reinterpret_cast<const CUpti_ActivityKernel10*>(record);
      out = {RecordKind::kKernel,
             0,
             k->streamId,
             k->correlationId,
             k->deviceId,
             k->start,
             k->end,
             0,
             0,
             {}};
      CopyName(out, k->name);
      return true;
    }
    case CUPTI_ACTIVITY_KIND_MEMCPY: {
      auto* m = reinterpret_cast<const CUpti_ActivityMemcpy6*>(record);
      out = {RecordKind::kMemcpy, 0,        m->streamId, m->correlationId,
             m->deviceId,         m->start, m->end,      m->bytes,
             m->copyKind,         {}};
      return true;
    }
    case CUPTI_ACTIVITY_KIND_MEMSET: {
      auto* m = reinterpret_cast<const CUpti_ActivityMemset4*>(record);
      out = {RecordKind::kMemset,
             0,
             m->streamId,
             m->correlationId,
             m->deviceId,
             m->start,
             m->end,
             m->bytes,
             m->value,
             {}};
      return true;
    }
    case CUPTI_ACTIVITY_KIND_SYNCHRONIZATION: {
      auto* s = reinterpret_cast<const CUpti_ActivitySynchronization2*>(record);
      out = {RecordKind::kSync,
             0,
             s->streamId,
             s->correlationId,
             0,
             s->start,
             s->end,
             0,
             static_cast<uint64_t>(s->type),
             {}};
      return true;
    }
    case CUPTI_ACTIVITY_KIND_RUNTIME:
    case CUPTI_ACTIVITY_KIND_DRIVER: {
      auto* a = reinterpret_cast<const CUpti_ActivityAPI*>(record);
      RecordKind kind = record->kind == CUPTI_ACTIVITY_KIND_RUNTIME ? RecordKind::kRuntimeApi
                                                                    : RecordKind::kDriverApi;
      out = {kind, 0, 0, a->correlationId, a->threadId, a->start, a->end, 0, a->cbid, {}};
      return true;
    }
    default:
      return false;
  }
}

void CUPTIAPI BufferRequested(uint8_t** buffer, size_t* size, size_t* max_num_records) {
  State& state = GetState();
  *size = state.buffer_bytes;
  *buffer = static_cast<uint8_t*>(std::aligned_alloc(8, state.buffer_bytes));
  *max_num_records = 0;  // as many as fit
}

void CUPTIAPI BufferCompleted(CUcontext ctx, uint32_t stream_id, uint8_t* buffer, size_t size,
                              size_t valid_size) {
  State& state = GetState();
  std::vector<WireRecord> converted;
  CUpti_Activity* record = nullptr;
  while (cuptiActivityGetNextRecord(buffer, valid_size, &record) == CUPTI_SUCCESS) {
    WireRecord out;
    if (Convert(record, out)) converted.push_back(out);
  }
  size_t dropped = 0;
  cuptiActivityGetNumDroppedRecords(ctx, stream_id, &dropped);
  std::free(buffer);
  std::lock_guard<std::mutex> lock(state.mu);
  state.dropped += dropped;
  state.pending.insert(state.pending.end(), converted.begin(), converted.end());
  if (!state.finished) DrainPendingLocked(state);
}

void AppendMarker(const WireRecord& marker) {
  State& state = GetState();
  std::lock_guard<std::mutex> lock(state.mu);
  state.pending.push_back(marker);
}

void AtExit() { referee_cupti_finish(); }

constexpr CUpti_ActivityKind kKinds[] = {
    CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL, CUPTI_ACTIVITY_KIND_MEMCPY,  CUPTI_ACTIVITY_KIND_MEMSET,
    CUPTI_ACTIVITY_KIND_SYNCHRONIZATION,   CUPTI_ACTIVITY_KIND_RUNTIME, CUPTI_ACTIVITY_KIND_DRIVER,
};

int ReadTraceFdFromEnv() {
  const char* text = std::getenv(kEnvTraceFd);
  if (text == nullptr) return -1;
  char* end = nullptr;
  long fd = std::strtol(text, &end, 10);
  if (*end != '\0' || fd < 0 || fcntl(static_cast<int>(fd), F_GETFD) < 0) return -1;
  // The candidate's own child processes must not inherit the channel.
  fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  unsetenv(kEnvTraceFd);
  return static_cast<int>(fd);
}

}  // namespace
}  // namespace referee::cupti

using referee::cupti::GetState;
using referee::cupti::RecordKind;
using referee::cupti::WireRecord;

extern "C" __attribute__((visibility("default"))) int InitializeInjection(void) {
  auto& state = GetState();
  int fd = referee::cupti::ReadTraceFdFromEnv();
  if (fd < 0) return 1;  // not run by the harness: stay out of the way
  if (const char* bytes = std::getenv(referee::cupti::kEnvBufferBytes)) {
    size_t n = std::strtoull(bytes, nullptr, 10);
    if (n >= (64u << 10)) state.buffer_bytes = n;
  }
  cuptiGetVersion(&state.cupti_version);
  if (cuptiSetThreadIdType(CUPTI_ACTIVITY_THREAD_ID_TYPE_SYSTEM) != CUPTI_SUCCESS) return 0;
  if (cuptiActivityRegisterCallbacks(referee::cupti::BufferRequested,
                                     referee::cupti::BufferCompleted) != CUPTI_SUCCESS) {
    return 0;
  }
  for (CUpti_ActivityKind kind : referee::cupti::kKinds) {
    if (cuptiActivityEnable(kind) != CUPTI_SUCCESS) return 0;
  }
  {
    std::lock_guard<std::mutex> lock(state.mu);
    state.fd = fd;
    referee::cupti::WriteFrameLocked(state, nullptr, 0, referee::cupti::kFrameStart);
  }
  std::atexit(referee::cupti::AtExit);
  return 1;
}

extern "C" __attribute__((visibility("default"))) int referee_cupti_window_begin(uint64_t window_id,
                                                                                 int window_kind) {
  if (GetState().fd < 0) return -1;
  CUresult sync = cuCtxSynchronize();
  uint64_t t = referee::cupti::Now();
  WireRecord marker{RecordKind::kWindowBegin,
                    static_cast<uint16_t>(window_kind),
                    0,
                    0,
                    referee::cupti::Tid(),
                    t,
                    t,
                    0,
                    window_id,
                    {}};
  referee::cupti::AppendMarker(marker);
  return static_cast<int>(sync);
}

extern "C" __attribute__((visibility("default"))) int referee_cupti_window_end(uint64_t window_id,
                                                                               int window_kind,
                                                                               void* stream) {
  if (GetState().fd < 0) return -1;
  uint64_t returned = referee::cupti::Now();
  // The caller's stream by CUPTI's id (0 when unknown): its own work drained by definition when
  // the synchronise returned, whatever the timestamps' skew says.
  uint32_t caller_stream = 0;
  CUcontext ctx = nullptr;
  if (cuCtxGetCurrent(&ctx) != CUDA_SUCCESS ||
      cuptiGetStreamIdEx(ctx, static_cast<CUstream>(stream), 0, &caller_stream) != CUPTI_SUCCESS) {
    caller_stream = 0;
  }
  CUresult stream_sync = cuStreamSynchronize(static_cast<CUstream>(stream));
  uint64_t stream_drained = referee::cupti::Now();
  CUresult ctx_sync = cuCtxSynchronize();
  uint64_t synced = referee::cupti::Now();
  WireRecord marker{RecordKind::kWindowEnd,
                    static_cast<uint16_t>(window_kind),
                    caller_stream,
                    0,
                    referee::cupti::Tid(),
                    returned,
                    synced,
                    stream_drained,
                    window_id,
                    {}};
  referee::cupti::AppendMarker(marker);
  return stream_sync != CUDA_SUCCESS ? static_cast<int>(stream_sync) : static_cast<int>(ctx_sync);
}

extern "C" __attribute__((visibility("default"))) int referee_cupti_flush(void) {
  auto& state = GetState();
  if (state.fd < 0) return -1;
  CUptiResult result = cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.finished) referee::cupti::DrainPendingLocked(state);
  return static_cast<int>(result);
}

extern "C" __attribute__((visibility("default"))) int referee_cupti_finish(void) {
  auto& state = GetState();
  if (state.fd < 0) return -1;
  int result = referee_cupti_flush();
  std::lock_guard<std::mutex> lock(state.mu);
  if (state.finished) return result;
  referee::cupti::DrainPendingLocked(state);
  referee::cupti::WriteFrameLocked(state, nullptr, 0, referee::cupti::kFrameFinal);
  state.finished = true;
  return result;
}
