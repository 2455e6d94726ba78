// Attack (sandbox.md §8): row 9: join another namespace
#include <fcntl.h>
#include <sched.h>

#include "attack.h"

int main(int argc, char** argv) {

  int fd = open("/proc/self/ns/net", O_RDONLY);
  Report("setns", setns(fd, 0));
  return 0;
}
