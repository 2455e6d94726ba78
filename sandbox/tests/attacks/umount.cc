// Attack (sandbox.md §8): row 10: unmount /proc
#include <sys/mount.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("umount2", umount2("/proc", MNT_DETACH));
  return 0;
}
