// Attack (sandbox.md §8): row 26: outlive the run through setsid and a double fork
#include <unistd.h>
#include <fcntl.h>
#include <time.h>

#include "attack.h"

int main(int argc, char** argv) {

  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      for (long i = 0;; ++i) {
        int fd = open("/scratch/daemon", O_WRONLY | O_CREAT | O_APPEND, 0644);
        dprintf(fd, "%ld\n", i);
        close(fd);
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, nullptr);
      }
    }
    _exit(0);
  }
  struct timespec ts = {0, 50000000};
  nanosleep(&ts, nullptr);  // let the daemon start writing
  printf("parent exits\n");
  return 0;
}
