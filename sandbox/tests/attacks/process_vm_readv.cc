// Attack (sandbox.md §8): row 6: read the init's memory
#include <sys/uio.h>

#include "attack.h"

int main(int argc, char** argv) {

  char buf[16];
  struct iovec local = {buf, sizeof(buf)};
  struct iovec remote = {(void*)0x400000, sizeof(buf)};
  Report("process_vm_readv(1)", process_vm_readv(1, &local, 1, &remote, 1, 0));
  return 0;
}
