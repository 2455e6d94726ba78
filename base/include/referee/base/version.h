#pragma once

namespace referee {
inline constexpr const char kVersion[] = "0.1.0";
inline constexpr const char kToolName[] = "referee";
inline constexpr int kJsonSchemaVersion = 1;
}  // namespace referee
