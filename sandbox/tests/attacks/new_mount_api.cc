// Attack (sandbox.md §8): row 10: the fd-based mount API
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <linux/mount.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
  Report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/usr", OPEN_TREE_CLONE));
  Report("move_mount", syscall(SYS_move_mount, AT_FDCWD, "/usr", AT_FDCWD, "/tmp", 0));
  return 0;
}
