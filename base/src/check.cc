#include "referee/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace referee::internal {

void CheckFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "referee: internal error: check failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace referee::internal
