// Attack (sandbox.md §8): row 21: fill the scratch file system
#include <fcntl.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  static char buf[1 << 16];
  long total = 0, rc;
  while ((rc = write(fd, buf, sizeof(buf))) > 0) total += rc;
  Report("write until full", rc);
  return 0;
}
