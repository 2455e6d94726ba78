// Attack (sandbox.md §8): row 7: signal the init and everything else
#include <signal.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("kill(1, SIGKILL)", kill(1, SIGKILL));
  Report("kill(-1, SIGKILL)", kill(-1, SIGKILL));
  return 0;
}
