// Shared by the attack programs: each one attempts one forbidden act and prints what the kernel
// answered ("socket(AF_INET): EPERM"), so attack_test.cc can compare the exact outcome. The
// programs decide nothing themselves.
#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <initializer_list>

// "ok" for rc >= 0, else the errno's name (EPERM, ENOENT, ...).
inline void Report(const char* what, long rc) {
  if (rc >= 0) {
    printf("%s: ok\n", what);
  } else {
    const char* name = strerrorname_np(errno);
    printf("%s: %s\n", what, name != nullptr ? name : "E?");
  }
  fflush(stdout);
}
