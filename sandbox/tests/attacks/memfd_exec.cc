// Attack (sandbox.md §8): row 17: fileless exec of a memfd
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "attack.h"

int main(int argc, char** argv) {

  int fd = memfd_create("x", 0);
  int src = open("/usr/bin/true", O_RDONLY);
  struct stat st;
  fstat(src, &st);
  sendfile(fd, src, nullptr, st.st_size);
  Report("memfd_create", fd);
  char* args[] = {(char*)"true", nullptr};
  char* env[] = {nullptr};
  Report("execveat(AT_EMPTY_PATH)", syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH));
  return 0;
}
