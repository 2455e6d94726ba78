// Attack (sandbox.md §8): row 5: attach to the namespace init
#include <sys/ptrace.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("ptrace(ATTACH, 1)", ptrace(PTRACE_ATTACH, 1, 0, 0));
  return 0;
}
