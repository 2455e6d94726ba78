// Attack (sandbox.md §8): row 15: userfaultfd
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("userfaultfd", syscall(SYS_userfaultfd, 0));
  return 0;
}
