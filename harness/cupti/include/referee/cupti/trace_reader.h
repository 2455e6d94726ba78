// Parses and validates a CUPTI trace stream (trace_format.h) in the trusted parent.
//
//   Expected<Trace> trace = ParseTrace(bytes_read_from_the_pipe);
//   if (!trace) return Rejected(trace.error());  // incomplete, reordered, forged or lossy
//
// Every failure here fails the run: a trace that is truncated, has a sequence gap, a record
// count that does not match the running total, no final frame, or any dropped record cannot
// prove that all GPU work was seen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/cupti/trace_format.h"

namespace referee::cupti {

struct Trace {
  uint32_t pid = 0;
  uint32_t cupti_version = 0;
  uint64_t frames = 0;
  uint64_t dropped = 0;
  std::vector<WireRecord> records;
};

// Incremental form of ParseTrace for a pipe read while the worker runs: Feed() whatever bytes
// arrived (frames may be split anywhere); records of complete frames appear in trace().
class TraceStreamParser final {
 public:
  // Validates each complete frame as it arrives; after an error, every later call fails too.
  Status Feed(std::string_view bytes);
  // The stream ended: checks that it closed with the final frame and dropped nothing.
  Status Finish() const;
  const Trace& trace() const { return trace_; }
  bool final_seen() const { return final_seen_; }
  // Bytes of a frame still incomplete.
  size_t pending_bytes() const { return pending_.size(); }

 private:
  Status ConsumeFrames();

  Trace trace_;
  std::string pending_;
  bool final_seen_ = false;
  Status error_;
};

// Validates the framing (magic, version, contiguous sequence numbers from 0, start frame first,
// final frame last with nothing after it, running record totals) and the dropped count.
// Errors are kDataLoss (framing) or kResourceExhausted (CUPTI dropped records).
Expected<Trace> ParseTrace(std::string_view bytes);

Expected<Trace> ReadTraceFile(const std::string& path);

// Serialises records as one well-formed stream (start frame, one frame per `per_frame`
// records, final frame). Used by tests to build traces, and by tools that trim recorded traces.
std::string EncodeTrace(const std::vector<WireRecord>& records, uint32_t cupti_version,
                        uint64_t dropped = 0, size_t per_frame = 1024);

}  // namespace referee::cupti
