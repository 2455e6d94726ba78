// Attack (sandbox.md §8): row 30: flood stdout and stderr
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  static char buf[1 << 16];
  memset(buf, 'A', sizeof(buf));
  for (int i = 0; i < 160; ++i) {  // 10 MiB each
    if (write(1, buf, sizeof(buf)) < 0) return 1;
    if (write(2, buf, sizeof(buf)) < 0) return 1;
  }
  return 0;
}
