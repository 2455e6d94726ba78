#include "workers/reply_record.h"

#include "referee/base/strings.h"

namespace referee::harness {

Expected<Json> ParseReplyRecord(std::string_view bytes, int64_t expected_seq) {
  Expected<Json> j = ParseJson(bytes, "reply");
  if (!j || !j->is_object() || !j->contains("seq") || !(*j)["seq"].is_number_integer() ||
      !j->contains("ok") || !(*j)["ok"].is_boolean()) {
    return DataLossError("malformed reply on the worker channel (not a {seq, ok} record)");
  }
  int64_t seq = (*j)["seq"].is_number_unsigned() && (*j)["seq"].get<uint64_t>() > INT64_MAX
                    ? -1
                    : (*j)["seq"].get<int64_t>();
  if (seq != expected_seq) {
    return DataLossError(StrFormat("reply sequence %lld, expected %lld",
                                   static_cast<long long>(seq),
                                   static_cast<long long>(expected_seq)));
  }
  return j;
}

}  // namespace referee::harness
