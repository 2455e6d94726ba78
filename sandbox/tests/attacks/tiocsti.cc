// Attack (sandbox.md §8): row 13: inject terminal input, plain and with high bits set
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  char c = 'x';
  Report("ioctl(TIOCSTI)", syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI, &c));
  Report("ioctl(TIOCSTI|high)", syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (0x123ul << 32), &c));
  return 0;
}
