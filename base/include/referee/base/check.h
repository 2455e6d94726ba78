// REFEREE_CHECK: for broken invariants only, never for bad input (STYLE.md).
#pragma once

namespace referee::internal {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);
}  // namespace referee::internal

#define REFEREE_CHECK(cond) \
  ((cond) ? (void)0 : ::referee::internal::CheckFailed(#cond, __FILE__, __LINE__))
