// Attack (sandbox.md §8): row 23: allocate and touch memory without end
#include <stdlib.h>

#include "attack.h"

int main(int argc, char** argv) {

  for (;;) {
    char* p = (char*)malloc(1 << 20);
    if (p == nullptr) { Report("malloc", -1); return 1; }
    memset(p, 1, 1 << 20);
  }
  return 0;
}
