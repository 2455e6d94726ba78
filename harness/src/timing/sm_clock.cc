#include "referee/harness/sm_clock.h"

#include <algorithm>

#include "referee/base/strings.h"

namespace referee::harness {

std::optional<double> SmClockMhz(const Json& reply) {
  if (!reply.is_object() || !reply.contains("sm_clock")) return std::nullopt;
  const Json& c = reply["sm_clock"];
  if (!c.is_object() || !c.contains("cycles") || !c.contains("ns")) return std::nullopt;
  if (!c["cycles"].is_number() || !c["ns"].is_number()) return std::nullopt;
  double cycles = c["cycles"].get<double>(), ns = c["ns"].get<double>();
  if (!(ns > 0) || !(cycles > 0)) return std::nullopt;
  double mhz = cycles / ns * 1e3;
  if (mhz < 1 || mhz > 10'000) return std::nullopt;
  return mhz;
}

ClockReport FlagThrottled(const std::vector<double>& mhz, double ratio, double warn_fraction) {
  ClockReport r;
  r.mhz = mhz;
  for (double m : mhz) {
    if (!(m > 0)) continue;
    r.min_mhz = r.read == 0 ? m : std::min(r.min_mhz, m);
    r.max_mhz = std::max(r.max_mhz, m);
    ++r.read;
  }
  if (r.read == 0) return r;
  r.threshold_mhz = ratio * r.max_mhz;
  for (size_t i = 0; i < mhz.size(); ++i) {
    if (mhz[i] > 0 && mhz[i] < r.threshold_mhz) r.throttled.push_back(i);
  }
  r.warn = static_cast<double>(r.throttled.size()) > warn_fraction * static_cast<double>(r.read);
  return r;
}

std::string ThrottleWarning(const ClockReport& c) {
  return StrFormat("%zu of %zu samples ran below %.0f MHz (%.2gx the fastest reading, %.0f MHz): "
                   "the GPU throttled during the measurement, times may be noisy",
                   c.throttled.size(), c.read, c.threshold_mhz,
                   c.max_mhz > 0 ? c.threshold_mhz / c.max_mhz : 0.0, c.max_mhz);
}

Json ClockReportToJson(const ClockReport& c) {
  if (c.read == 0) return Json();
  Json j = {{"mhz", c.mhz},
            {"min_mhz", c.min_mhz},
            {"max_mhz", c.max_mhz},
            {"threshold_mhz", c.threshold_mhz},
            {"throttled", c.throttled.size()},
            {"throttled_samples", c.throttled}};
  j["warning"] = c.warn ? Json(ThrottleWarning(c)) : Json();
  return j;
}

}  // namespace referee::harness
