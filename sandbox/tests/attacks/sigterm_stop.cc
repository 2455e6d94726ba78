// Attack (sandbox.md §8): row 25: ignore SIGTERM and stop itself
#include <signal.h>

#include "attack.h"

int main(int argc, char** argv) {

  signal(SIGTERM, SIG_IGN);
  printf("stopping\n");
  fflush(stdout);
  raise(SIGSTOP);
  for (;;) pause();
  return 0;
}
