// Attack (sandbox.md §8): row 18: look for the evaluator's files, env and fds
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("open(secret)", open(argv[1], O_RDONLY));
  char path[4096];
  snprintf(path, sizeof(path), "/proc/1/root%s", argv[1]);
  Report("open(/proc/1/root/secret)", open(path, O_RDONLY));
  snprintf(path, sizeof(path), "/proc/self/cwd/../..%s", argv[1]);
  Report("open(cwd/../../secret)", open(path, O_RDONLY));
  printf("env REFEREE_SECRET: %s\n", getenv("REFEREE_SECRET") ? "present" : "absent");
  int open_fds = 0;
  for (int fd = 3; fd < 1024; ++fd) open_fds += fcntl(fd, F_GETFD) >= 0;
  printf("fds above 2: %d\n", open_fds);
  return 0;
}
