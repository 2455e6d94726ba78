#include "referee/cupti/trace_reader.h"

#include <algorithm>
#include <cstring>

#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee::cupti {
namespace {

Status FramingError(uint64_t seq, const std::string& what) {
  return DataLossError(
      StrFormat("trace frame %llu: %s", static_cast<unsigned long long>(seq), what.c_str()));
}

Status CheckHeader(const FrameHeader& header, uint64_t expected_seq, uint64_t records_so_far) {
  if (header.magic != kFrameMagic) return FramingError(expected_seq, "bad magic");
  if (header.version != kWireVersion) {
    return FramingError(expected_seq,
                        StrFormat("wire version %u, expected %u", header.version, kWireVersion));
  }
  if (header.seq != expected_seq) {
    return FramingError(expected_seq,
                        StrFormat("sequence number %llu (frame lost, repeated or reordered)",
                                  static_cast<unsigned long long>(header.seq)));
  }
  if (header.records_total != records_so_far + header.record_count) {
    return FramingError(expected_seq, "record total does not match the records received");
  }
  bool is_start = (header.flags & kFrameStart) != 0;
  if (is_start != (expected_seq == 0)) {
    return FramingError(expected_seq, "start frame missing or repeated");
  }
  return OkStatus();
}

}  // namespace

Status TraceStreamParser::Feed(std::string_view bytes) {
  if (!error_.ok()) return error_;
  pending_.append(bytes.data(), bytes.size());
  error_ = ConsumeFrames();
  return error_;
}

Status TraceStreamParser::ConsumeFrames() {
  size_t offset = 0;
  while (pending_.size() - offset >= sizeof(FrameHeader)) {
    if (final_seen_) return FramingError(trace_.frames, "data after the final frame");
    FrameHeader header;
    std::memcpy(&header, pending_.data() + offset, sizeof(header));
    REFEREE_RETURN_IF_ERROR(CheckHeader(header, trace_.frames, trace_.records.size()));
    size_t payload = size_t{header.record_count} * sizeof(WireRecord);
    if (pending_.size() - offset - sizeof(header) < payload) break;  // rest not here yet
    offset += sizeof(header);
    size_t first = trace_.records.size();
    trace_.records.resize(first + header.record_count);
    if (payload > 0) std::memcpy(trace_.records.data() + first, pending_.data() + offset, payload);
    offset += payload;
    trace_.pid = header.pid;
    trace_.cupti_version = header.cupti_version;
    trace_.dropped = std::max(trace_.dropped, header.dropped_total);
    final_seen_ = (header.flags & kFrameFinal) != 0;
    ++trace_.frames;
  }
  pending_.erase(0, offset);
  if (final_seen_ && !pending_.empty()) {
    return FramingError(trace_.frames, "data after the final frame");
  }
  return OkStatus();
}

Status TraceStreamParser::Finish() const {
  if (!error_.ok()) return error_;
  if (!pending_.empty()) {
    return FramingError(trace_.frames, pending_.size() < sizeof(FrameHeader)
                                           ? "truncated frame header"
                                           : "truncated records");
  }
  if (trace_.frames == 0) return DataLossError("empty trace: the tracer never started");
  if (!final_seen_) {
    return DataLossError("trace has no final frame: the worker exited without flushing");
  }
  if (trace_.dropped > 0) {
    return ResourceExhaustedError(
        StrFormat("CUPTI dropped %llu records", static_cast<unsigned long long>(trace_.dropped)));
  }
  return OkStatus();
}

Expected<Trace> ParseTrace(std::string_view bytes) {
  TraceStreamParser parser;
  REFEREE_RETURN_IF_ERROR(parser.Feed(bytes));
  REFEREE_RETURN_IF_ERROR(parser.Finish());
  return parser.trace();
}

Expected<Trace> ReadTraceFile(const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  Expected<Trace> trace = ParseTrace(bytes);
  if (!trace) return Status(trace.error().code(), path + ": " + trace.error().message());
  return trace;
}

std::string EncodeTrace(const std::vector<WireRecord>& records, uint32_t cupti_version,
                        uint64_t dropped, size_t per_frame) {
  std::string out;
  uint64_t seq = 0;
  uint64_t total = 0;
  auto frame = [&](const WireRecord* data, size_t count, uint32_t flags) {
    total += count;
    FrameHeader header{kFrameMagic,  kWireVersion, seq++, static_cast<uint32_t>(count),
                       flags,        dropped,      total, 0,
                       cupti_version};
    out.append(reinterpret_cast<const char*>(&header), sizeof(header));
    out.append(reinterpret_cast<const char*>(data), count * sizeof(WireRecord));
  };
  frame(nullptr, 0, kFrameStart);
  for (size_t i = 0; i < records.size(); i += per_frame) {
    frame(records.data() + i, std::min(per_frame, records.size() - i), 0);
  }
  frame(nullptr, 0, kFrameFinal);
  return out;
}

}  // namespace referee::cupti
