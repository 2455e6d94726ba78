// Attack (sandbox.md §8): row 8: clone with CLONE_NEWUSER
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/wait.h>

#include "attack.h"

int main(int argc, char** argv) {

  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  Report("clone(CLONE_NEWUSER)", pid);
  return 0;
}
