// Attack (sandbox.md §8): row 10: pivot_root
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));
  return 0;
}
