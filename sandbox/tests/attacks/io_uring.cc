// Attack (sandbox.md §8): row 4: create an io_uring (it can open sockets without socket())
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/io_uring.h>

#include "attack.h"

int main(int argc, char** argv) {

  struct io_uring_params params;
  memset(&params, 0, sizeof(params));
  Report("io_uring_setup", syscall(SYS_io_uring_setup, 4, &params));
  return 0;
}
