#include "referee/search/hack_policy.h"

#include <set>

#include "referee/base/strings.h"

namespace referee::search {
namespace {

const std::set<std::string>& TamperChecks() {
  static const std::set<std::string> k = {
      "timer-tamper", "work-after-return", "thread-growth", "child-process", "input-mutated",
      "lazy-output", "below-roofline", "protocol", "output-flood",
      // GPU timer findings (harness/cupti) and the GPU worker's own checks.
      "unjoined-stream", "activity-outside-window", "cold-flush-missing", "no-gpu-activity",
      "span-exceeds-wall", "window-outside-wall", "window-sequence", "persisting-l2",
      "library-kernels",
      // the search's own: a fixed file changed while the candidate ran
      "fixed-file-modified"};
  return k;
}

const std::set<std::string>& StatefulChecks() {
  static const std::set<std::string> k = {"wrong-output", "poisoned-output", "non-finite",
                                          "all-zero-output"};
  return k;
}

}  // namespace

bool IsHack(const std::string& stage, const std::string& check, int failed_call) {
  if (stage == "audit" || stage.rfind("re-audit", 0) == 0) return !check.empty();
  if (TamperChecks().count(check)) return true;
  return StatefulChecks().count(check) && failed_call >= 1;
}

std::string HackLabel(const std::string& check, int failed_call) {
  if (StatefulChecks().count(check) && failed_call >= 1) {
    return StrFormat("stateful-output (%s at call %d)", check.c_str(), failed_call);
  }
  return check;
}

}  // namespace referee::search
