// Test helper: builds synthetic traces record by record.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "referee/cupti/trace_format.h"
#include "referee/cupti/trace_reader.h"

namespace referee::cupti::testing {

inline constexpr uint32_t kHarnessTid = 100;
inline constexpr uint32_t kHarnessStream = 7;

class TraceBuilder final {
 public:
  // Correlation ids continue from `after` (a later frame of the same trace: ids are unique).
  explicit TraceBuilder(uint32_t after = 0) : correlation_(after) {}
  // A window [begin, end]; the caller's stream drained at `drained` (default: end).
  TraceBuilder& Window(uint64_t id, WindowKind kind, uint64_t begin, uint64_t end,
                       uint64_t drained = 0, uint32_t tid = kHarnessTid) {
    WireRecord b{
        RecordKind::kWindowBegin, static_cast<uint16_t>(kind), 0, 0, tid, begin, begin, 0, id, {}};
    WireRecord e{RecordKind::kWindowEnd,
                 static_cast<uint16_t>(kind),
                 0,
                 0,
                 tid,
                 end,
                 end,
                 drained ? drained : end,
                 id,
                 {}};
    records_.push_back(b);
    records_.push_back(e);
    return *this;
  }
  // A kernel launched by `tid` at `launch` (a runtime API record with the same correlation id).
  TraceBuilder& Kernel(const char* name, uint64_t start, uint64_t end,
                       uint32_t stream = kHarnessStream, uint32_t tid = kHarnessTid,
                       uint64_t launch = 0) {
    uint32_t corr = ++correlation_;
    WireRecord k{RecordKind::kKernel, 0, stream, corr, 0, start, end, 0, 0, {}};
    std::strncpy(k.name, name, sizeof(k.name) - 1);
    uint64_t at = launch ? launch : start - 1;
    WireRecord api{RecordKind::kRuntimeApi, 0, 0, corr, tid, at, at + 1, 0, 211, {}};
    records_.push_back(api);
    records_.push_back(k);
    return *this;
  }
  TraceBuilder& Memset(uint64_t bytes, uint64_t start, uint64_t end, uint32_t tid = kHarnessTid) {
    uint32_t corr = ++correlation_;
    records_.push_back({RecordKind::kRuntimeApi, 0, 0, corr, tid, start - 1, start, 0, 0, {}});
    records_.push_back({RecordKind::kMemset, 0, kHarnessStream, corr, 0, start, end, bytes, 0, {}});
    return *this;
  }
  const std::vector<WireRecord>& records() const { return records_; }
  Trace Build() const {
    Trace t;
    t.records = records_;
    return t;
  }
  std::string Encode() const { return EncodeTrace(records_, 130001, 0, 3); }

 private:
  std::vector<WireRecord> records_;
  uint32_t correlation_ = 0;
};

}  // namespace referee::cupti::testing
