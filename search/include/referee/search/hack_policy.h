// Which stage failures are reward hacks (issue 19 item 6). A hack quarantines the candidate
// and its descendants and files an incident; any other failure only rejects the candidate.
//
//  - audit: a new finding at or above the configured severity (a rule in rules/ flagged it);
//  - checks that only tampering trips: timer-tamper, work-after-return, thread-growth,
//    child-process, input-mutated, lazy-output, below-roofline, protocol (writing to the
//    harness's channel), output-flood, and the GPU timer's findings (unjoined-stream,
//    activity-outside-window, cold-flush-missing, no-gpu-activity, persisting-l2, ...);
//  - state between calls: wrong-output, poisoned-output, non-finite or all-zero-output at a
//    call after the first. Call 0 of every session is always checked in full against the
//    reference (harness/README.md), so a candidate that passed it and fails a later call
//    returns something other than a function of its inputs: a cache, a previous result,
//    stale memory. A candidate wrong from its first call is an honest bug.
// Crashes, timeouts, load and build errors are candidate failures.
#pragma once

#include <string>

namespace referee::search {

bool IsHack(const std::string& stage, const std::string& check, int failed_call);

// A short label for the incident: the check, or "stateful-output (wrong-output at call 3)".
std::string HackLabel(const std::string& check, int failed_call);

}  // namespace referee::search
