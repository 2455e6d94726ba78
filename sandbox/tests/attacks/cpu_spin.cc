// Attack (sandbox.md §8): row 25: spin forever

#include "attack.h"

int main(int argc, char** argv) {

  volatile unsigned long x = 0;
  for (;;) ++x;
  return 0;
}
