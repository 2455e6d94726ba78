// What the trusted parent reads from a worker (issue 20): a Python candidate runs inside its
// worker and can send any record. The first 8 bytes are the expected sequence number; the rest
// is the record, parsed, then read by every per-call check and as a reference describe reply.
#include <cstdint>
#include <cstring>
#include <string>

#include "checks/reference_runner.h"
#include "referee/harness/checks.h"
#include "workers/reply_record.h"

using namespace referee;
using namespace referee::harness;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* checks = new std::vector<std::unique_ptr<CallCheck>>(MakeCallChecks());
  int64_t seq = 0;
  if (size >= sizeof seq) {
    std::memcpy(&seq, data, sizeof seq);
    data += sizeof seq, size -= sizeof seq;
  }
  Expected<Json> record =
      ParseReplyRecord(std::string_view(reinterpret_cast<const char*>(data), size), seq);
  if (!record) return 0;
  CallObservation obs;
  obs.reply = *record;
  obs.round_trip_s = 0.001;
  for (const auto& check : *checks) (void)check->Run(obs);
  Task task;
  (void)ParseDescribeReply(*record, task);
  (void)DumpJson(*record);
  return 0;
}
