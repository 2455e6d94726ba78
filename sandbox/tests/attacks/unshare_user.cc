// Attack (sandbox.md §8): row 8: nested user namespace
#include <sched.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
  return 0;
}
