// Wire format of the CUPTI trace stream: what the injection library (src/injection.cc, loaded
// into the untrusted worker with CUDA_INJECTION64_PATH) writes to the pre-opened fd named by
// REFEREE_CUPTI_FD, and what trace_reader.h parses in the trusted parent.
//
// The stream is a sequence of frames. Each frame is one FrameHeader followed by
// `record_count` WireRecords, written with one write(2). Frame 0 has kFrameStart and no
// records; the last frame has kFrameFinal and carries the total dropped-record count. Sequence
// numbers are contiguous from 0 and every frame carries the running record total, so a lost,
// repeated, reordered or truncated frame is detected; a stream
// with no final frame (worker killed, library unloaded) is incomplete and fails the run.
//
// Plain structs with fixed-width fields and no padding: both ends are built from this header
// for the same x86-64 ABI (static_asserts below pin the sizes).
#pragma once

#include <cstdint>

namespace referee::cupti {

inline constexpr uint32_t kFrameMagic = 0x46544652;  // "RFTF" little-endian
inline constexpr uint32_t kWireVersion = 1;

// Environment variables the injection library reads once in InitializeInjection and then
// removes from the environment (so child processes of the candidate do not inherit them).
inline constexpr const char* kEnvTraceFd = "REFEREE_CUPTI_FD";
// Optional: CUPTI activity buffer size in bytes (default 8 MiB).
inline constexpr const char* kEnvBufferBytes = "REFEREE_CUPTI_BUFFER_BYTES";

enum FrameFlags : uint32_t {
  kFrameStart = 1u << 0,
  kFrameFinal = 1u << 1,
};

struct FrameHeader {
  uint32_t magic;          // kFrameMagic
  uint32_t version;        // kWireVersion
  uint64_t seq;            // 0, 1, 2, ... per stream
  uint32_t record_count;   // WireRecords that follow
  uint32_t flags;          // FrameFlags
  uint64_t dropped_total;  // cuptiActivityGetNumDroppedRecords, summed so far
  uint64_t records_total;  // records in frames 0..seq, this one included
  uint32_t pid;            // writer's pid
  uint32_t cupti_version;  // cuptiGetVersion
};
static_assert(sizeof(FrameHeader) == 48);

// What a record describes. GPU work kinds are the ones attributed to windows.
enum class RecordKind : uint16_t {
  kKernel = 1,        // CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL
  kMemcpy = 2,        // CUPTI_ACTIVITY_KIND_MEMCPY
  kMemset = 3,        // CUPTI_ACTIVITY_KIND_MEMSET
  kSync = 4,          // CUPTI_ACTIVITY_KIND_SYNCHRONIZATION (host waits; not GPU work)
  kRuntimeApi = 5,    // CUPTI_ACTIVITY_KIND_RUNTIME
  kDriverApi = 6,     // CUPTI_ACTIVITY_KIND_DRIVER
  kWindowBegin = 16,  // referee_cupti_window_begin
  kWindowEnd = 17,    // referee_cupti_window_end
};

inline bool IsGpuWork(RecordKind kind) {
  return kind == RecordKind::kKernel || kind == RecordKind::kMemcpy || kind == RecordKind::kMemset;
}

// Kind of a window marker (WireRecord::flags of kWindowBegin/kWindowEnd records).
enum class WindowKind : uint16_t {
  kCall = 1,     // one call of the candidate: its GPU work is timed
  kHarness = 2,  // the harness's own GPU work (flush, input copies, output checks)
  kSetup = 3,    // candidate setup (import, JIT, autotune): any work, not timed
};

// One record. Field use by kind:
//   kernel/memcpy/memset: start/end = GPU ns; stream_id; correlation_id; thread_id = device;
//                         bytes (memcpy/memset); aux = copy kind / memset value; name = kernel
//   sync:                 start/end host ns; stream_id; correlation_id; aux = sync type
//   runtime/driver api:   start/end host ns; correlation_id; thread_id = system tid; aux = cbid
//   window begin:         start = end = timestamp after a context synchronise; aux = window id;
//                         flags = WindowKind; thread_id = caller's system tid
//   window end:           start = when the call returned (before any sync); bytes = when the
//                         caller's stream had drained; end = after the context synchronise;
//                         aux = window id; flags = WindowKind; thread_id = caller's tid
// All timestamps are CUPTI timestamps (Unix-epoch ns on Linux, comparable with CLOCK_REALTIME).
struct WireRecord {
  RecordKind kind;
  uint16_t flags;
  uint32_t stream_id;
  uint32_t correlation_id;
  uint32_t thread_id;
  uint64_t start;
  uint64_t end;
  uint64_t bytes;
  uint64_t aux;
  char name[80];  // NUL-terminated, truncated
};
static_assert(sizeof(WireRecord) == 128);

}  // namespace referee::cupti
