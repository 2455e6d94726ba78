// Attack (sandbox.md §8): row 32: attach to a SysV shared-memory segment of the host
#include <sys/shm.h>
#include <stdlib.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("shmget(host key)", shmget((key_t)strtol(argv[1], nullptr, 10), 0, 0));
  return 0;
}
