// referee_cupti_attribute: reads a CUPTI trace stream and the parent's window list, prints the
// attribution as JSON on stdout. Exit 0 when the trace is valid and no window is rejected,
// 1 when rejected, 2 on usage or input errors.
//
//   referee_cupti_attribute --trace t.bin --windows w.json
//   referee_cupti_attribute --trace t.bin --raw-flush-bytes 104857600   # independent loop
//   referee_cupti_attribute --trace t.bin --trim-to small.bin            # test data
#include <cstdio>
#include <cstdlib>
#include <string>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/cupti/report.h"
#include "referee/cupti/trace_reader.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: referee_cupti_attribute --trace FILE (--windows FILE | "
               "--raw-flush-bytes N | --trim-to FILE)\n");
  return 2;
}

int PrintRejectedTrace(const referee::Status& error) {
  referee::Json out{
      {"ok", false},
      {"trace_error", error.message()},
      {"findings", referee::Json::array({{{"id", "trace-invalid"}, {"detail", error.message()}}})}};
  std::printf("%s\n", referee::DumpJson(out).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string trace_path, windows_path, trim_path;
  long long flush_bytes = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--trace")
      trace_path = argv[i + 1];
    else if (flag == "--windows")
      windows_path = argv[i + 1];
    else if (flag == "--raw-flush-bytes")
      flush_bytes = std::atoll(argv[i + 1]);
    else if (flag == "--trim-to")
      trim_path = argv[i + 1];
    else
      return Usage();
  }
  int modes = !windows_path.empty() + (flush_bytes >= 0) + !trim_path.empty();
  if (argc % 2 == 0 || trace_path.empty() || modes != 1) {
    return Usage();
  }
  auto trace = referee::cupti::ReadTraceFile(trace_path);
  if (!trace) {
    if (trace.error().code() == referee::StatusCode::kNotFound) {
      std::fprintf(stderr, "%s\n", trace.error().ToString().c_str());
      return 2;
    }
    return PrintRejectedTrace(trace.error());
  }
  if (!trim_path.empty()) {
    auto records = referee::cupti::TrimForAttribution(*trace);
    referee::Status written =
        referee::WriteFile(trim_path, referee::cupti::EncodeTrace(records, trace->cupti_version));
    if (!written.ok()) return std::fprintf(stderr, "%s\n", written.ToString().c_str()), 2;
    std::printf("%zu of %zu records kept\n", records.size(), trace->records.size());
    return 0;
  }
  referee::Json out;
  if (flush_bytes >= 0) {
    out = {{"ok", true},
           {"cupti_version", trace->cupti_version},
           {"iterations", referee::cupti::RawIterationsToJson(referee::cupti::SplitByFlush(
                              *trace, static_cast<uint64_t>(flush_bytes)))}};
  } else {
    auto json = referee::ReadJsonFile(windows_path);
    if (!json) return std::fprintf(stderr, "%s\n", json.error().ToString().c_str()), 2;
    auto expected = referee::cupti::ExpectedWindowsFromJson(*json, windows_path);
    if (!expected) return std::fprintf(stderr, "%s\n", expected.error().ToString().c_str()), 2;
    auto attribution = referee::cupti::Attribute(*trace, *expected, {});
    out = referee::cupti::AttributionToJson(attribution);
    out["cupti_version"] = trace->cupti_version;
    out["records"] = trace->records.size();
  }
  std::printf("%s\n", referee::DumpJson(out).c_str());
  return out["ok"].get<bool>() ? 0 : 1;
}
