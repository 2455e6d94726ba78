// The audit driver's reader of an analysis child's reply (issue 20): the child analysed hostile
// input and may be corrupted, so anything it sends must decode or be rejected, never crash the
// parent. A decoded outcome re-encodes to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "outcome_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  referee::analyzers::FileOutcome outcome;
  if (referee::analyzers::DecodeOutcome(bytes, &outcome) &&
      referee::analyzers::EncodeOutcome(outcome) != bytes) {
    std::abort();
  }
  return 0;
}
