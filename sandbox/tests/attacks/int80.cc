// Attack (sandbox.md §8): row 14: an i386 syscall through int 0x80

#include "attack.h"

int main(int argc, char** argv) {

  long rc;
  asm volatile("int $0x80" : "=a"(rc) : "a"(20) : "memory");  // getpid
  Report("int 0x80", rc);
  return 0;
}
