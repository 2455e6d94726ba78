// Attack (sandbox.md §8): row 9: chroot
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("chroot", chroot("/tmp"));
  return 0;
}
