// Attack (sandbox.md §8): row 22: fork until refused
#include <unistd.h>
#include <signal.h>

#include "attack.h"

int main(int argc, char** argv) {

  int n = 0;
  for (;;) {
    pid_t pid = fork();
    if (pid == 0) { pause(); _exit(0); }
    if (pid < 0) break;
    ++n;
  }
  Report("fork", -1);
  printf("forked before refusal: %s\n", n < 64 ? "fewer than 64" : "64 or more");
  return 0;
}
