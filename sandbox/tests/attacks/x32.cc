// Attack (sandbox.md §8): row 14: an x32-numbered syscall
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("x32 getpid", syscall(39 | 0x40000000));
  return 0;
}
