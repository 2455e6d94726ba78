// Attack (sandbox.md §8): positive control: /proc/self and CUDA's thread-name write (O_TRUNC)
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("open(/proc/self/status)", open("/proc/self/status", O_RDONLY));
  Report("open(/proc/self/maps)", open("/proc/self/maps", O_RDONLY));
  char path[64];
  snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", (long)syscall(SYS_gettid));
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Report("open(comm, O_TRUNC)", fd);
  Report("write(comm)", write(fd, "cuda-evt", 8));
  Report("eventfd2", syscall(SYS_eventfd2, 0, 0));
  printf("pid: %d\n", (int)getpid());
  return 0;
}
