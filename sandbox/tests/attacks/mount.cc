// Attack (sandbox.md §8): row 10: mount a tmpfs
#include <sys/mount.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("mount", mount("none", "/tmp", "tmpfs", 0, nullptr));
  return 0;
}
