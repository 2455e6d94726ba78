// Attack (sandbox.md §8): positive control: a pipe to a forked child
#include <unistd.h>
#include <sys/wait.h>

#include "attack.h"

int main(int argc, char** argv) {

  int p[2];
  Report("pipe", pipe(p));
  if (fork() == 0) _exit(write(p[1], "hi", 2) == 2 ? 0 : 1);
  char buf[2];
  Report("read from child", read(p[0], buf, 2) == 2 && memcmp(buf, "hi", 2) == 0 ? 0 : -1);
  int status;
  wait(&status);
  return 0;
}
