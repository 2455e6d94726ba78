// The CUPTI trace reader (issue 20): the trace comes from the candidate's process (the
// injection library runs inside it), so the parent must reject any forged, truncated or
// reordered stream without crashing. The bytes are parsed whole and fed to the incremental
// parser in pieces of a size the first byte picks; both must agree. A trace that parses is then
// attributed with every check on (the library-kernel names are the candidate's choice too).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "referee/cupti/attribution.h"
#include "referee/cupti/trace_reader.h"

using namespace referee::cupti;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t piece = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  referee::Expected<Trace> whole = ParseTrace(bytes);
  TraceStreamParser stream;
  referee::Status fed;
  for (size_t at = 0; at < bytes.size() && fed.ok(); at += piece) {
    fed = stream.Feed(bytes.substr(at, piece));
  }
  if (fed.ok()) fed = stream.Finish();
  if (whole.has_value() != fed.ok()) std::abort();
  if (whole && whole->records.size() != stream.trace().records.size()) std::abort();
  if (whole) {
    AttributionOptions options;
    options.min_flush_bytes = 1 << 20;
    options.require_own_kernels = true;
    options.allowed_library_kernels = {"^nvjet_"};
    Attribution a = Attribute(*whole, {}, options);
    (void)a;
  }
  return 0;
}
