#include "trusted_timing_cache.h"

#include <time.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/harness/checks.h"

namespace referee::harness {
namespace {

double NowUnix() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

Json TensorsJson(const std::vector<ConcreteTensor>& tensors) {
  Json out = Json::array();
  for (const ConcreteTensor& t : tensors) {
    const Generator& g = t.spec.generator;
    Json j = {{"name", t.spec.name}, {"shape", t.shape},
              {"dtype", DTypeName(t.spec.dtype)}, {"scalar", t.spec.is_scalar},
              {"generator", Json::array({g.kind, g.a, g.b})}};
    // A safetensors input's values are the file's: another file is another workload.
    if (t.fixed) j["fixed"] = HashBytes(t.fixed->data(), t.fixed->size());
    out.push_back(std::move(j));
  }
  return out;
}

std::optional<Summary> SummaryAt(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_object()) return std::nullopt;
  Expected<Summary> s = SummaryFromJson(j[key]);
  if (!s) return std::nullopt;
  return *s;
}

}  // namespace

std::string TrustedTimingKey(const ConcreteWorkload& w, const EvalOptions& options,
                             const std::vector<std::string>& programs) {
  const StoppingParams& p = options.stopping;
  Json what = {{"version", 1},
               {"device", options.placement.Name()},
               {"peaks_device", options.peaks ? options.peaks->device : ""},
               {"cold", options.cold},
               {"hot_repeat", options.hot_repeat},
               {"stopping", Json::array({p.warmup_calls, p.min_samples, p.min_time_s,
                                         p.max_noise, p.stability_window, p.stability_noise,
                                         p.timeout_s, p.max_samples, p.max_median_ci,
                                         p.max_measured_s})},
               {"workload", w.name},
               {"inputs", TensorsJson(w.inputs)},
               {"outputs", TensorsJson(w.outputs)},
               {"scalars", w.scalars}};
  std::string material = DumpJson(what, -1);
  for (const std::string& path : programs) {
    Expected<std::string> bytes = ReadFile(path);
    material += '\0' + path + '\0' + (bytes ? *bytes : std::string("\x01missing"));
  }
  return StrFormat("%016llx",
                   static_cast<unsigned long long>(HashBytes(material.data(), material.size())));
}

std::optional<TrustedTimings> LoadTrustedTimings(const std::string& dir, const std::string& key,
                                                 double max_age_s) {
  if (dir.empty() || max_age_s <= 0) return std::nullopt;
  Expected<Json> j = ReadJsonFile(dir + "/" + key + ".json");
  if (!j || !j->is_object() || !(*j).contains("measured_at_unix") ||
      !(*j)["measured_at_unix"].is_number()) {
    return std::nullopt;
  }
  TrustedTimings t;
  t.measured_at_unix = (*j)["measured_at_unix"].get<double>();
  double age = NowUnix() - t.measured_at_unix;
  if (age < 0 || age > max_age_s) return std::nullopt;
  t.reference = SummaryAt(*j, "reference");
  t.baseline = SummaryAt(*j, "baseline");
  if (!t.reference) return std::nullopt;
  return t;
}

void StoreTrustedTimings(const std::string& dir, const std::string& key,
                         const TrustedTimings& timings) {
  if (dir.empty() || !timings.reference) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Json j = {{"measured_at_unix", timings.measured_at_unix > 0 ? timings.measured_at_unix
                                                               : NowUnix()},
            {"reference", SummaryToJson(*timings.reference)}};
  if (timings.baseline) j["baseline"] = SummaryToJson(*timings.baseline);
  std::string path = dir + "/" + key + ".json";
  std::string tmp = path + StrFormat(".tmp.%d", static_cast<int>(getpid()));
  if (!WriteFile(tmp, DumpJson(j)).ok()) return;
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace referee::harness
