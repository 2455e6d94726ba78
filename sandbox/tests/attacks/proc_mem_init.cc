// Attack (sandbox.md §8): row 6: open /proc/1/mem
#include <fcntl.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("open(/proc/1/mem)", open("/proc/1/mem", O_RDONLY));
  return 0;
}
