#pragma once

namespace referee {
inline constexpr const char kVersion[] = "0.1.0";
inline constexpr const char kToolName[] = "referee";
// The version of every JSON document referee writes (audit, eval, compare, sandbox run;
// docs/schema/). Bump it, and the schemas, on any incompatible change.
inline constexpr int kJsonSchemaVersion = 2;
}  // namespace referee
