// Attack (sandbox.md §8): row 8: clone3 with namespace flags; threads must still work
#include <linux/sched.h>
#include <sched.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  struct clone_args args;
  memset(&args, 0, sizeof(args));
  args.flags = CLONE_NEWUSER;
  args.exit_signal = 17;
  long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid == 0) _exit(0);
  Report("clone3(CLONE_NEWUSER)", pid);
  pthread_t t;
  int rc = pthread_create(&t, nullptr, [](void*) -> void* { return nullptr; }, nullptr);
  if (rc == 0) pthread_join(t, nullptr);
  errno = rc;
  Report("pthread_create", rc == 0 ? 0 : -1);
  return 0;
}
