// Positive control: stdin is /dev/null (readable, at EOF), stdout and stderr are the captured
// pipes, and nothing else is open.
#include <fcntl.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {
  char c;
  Report("read(stdin)", read(0, &c, 1));
  Report("fcntl(0)", (fcntl(0, F_GETFL) & O_ACCMODE) == O_RDONLY ? 0 : -1);
  Report("write(stderr)", write(2, "err\n", 4));
  return 0;
}
