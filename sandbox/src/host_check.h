// The refusal rule: a layer the host lacks stops the run unless the policy degrades it.
#pragma once

#include <vector>

#include "referee/base/status.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal {

// OK with the skipped layers in *skipped, or FailedPrecondition naming the first missing layer.
Status CheckHost(const Policy& policy, const HostReport& host, std::vector<Layer>* skipped);

}  // namespace referee::sandbox::internal
