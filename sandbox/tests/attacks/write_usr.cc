// Attack (sandbox.md §8): row 19: write into the read-only trees
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("open(/usr/x, O_CREAT)", open("/usr/x", O_WRONLY | O_CREAT, 0644));
  Report("open(/usr/bin/true, O_WRONLY)", open("/usr/bin/true", O_WRONLY));
  Report("symlink(/usr/evil)", symlink("/scratch", "/usr/evil"));
  Report("link(/usr/bin/true -> scratch)", link("/usr/bin/true", "/scratch/t"));
  int fd = open("/scratch/f", O_WRONLY | O_CREAT, 0644);
  close(fd);
  Report("rename(scratch -> /tmp)", rename("/scratch/f", "/tmp/f"));
  Report("open(/etc/passwd, O_WRONLY)", open("/etc/passwd", O_WRONLY));
  Report("mkdir(/newdir)", mkdir("/newdir", 0755));
  return 0;
}
