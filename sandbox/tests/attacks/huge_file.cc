// Attack (sandbox.md §8): row 21: a file larger than RLIMIT_FSIZE
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>

#include "attack.h"

int main(int argc, char** argv) {

  signal(SIGXFSZ, SIG_IGN);
  int fd = open("/scratch/huge", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  static char buf[1 << 16];
  long rc;
  while ((rc = write(fd, buf, sizeof(buf))) > 0) {}
  Report("write past RLIMIT_FSIZE", rc);
  return 0;
}
