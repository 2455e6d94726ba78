// Attack (sandbox.md §8): row 5: PTRACE_TRACEME
#include <sys/ptrace.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("ptrace(TRACEME)", ptrace(PTRACE_TRACEME, 0, 0, 0));
  return 0;
}
