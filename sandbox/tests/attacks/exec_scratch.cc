// Attack (sandbox.md §8): row 17: copy a binary to scratch and execute it
#include <fcntl.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "attack.h"

int main(int argc, char** argv) {

  int src = open("/usr/bin/true", O_RDONLY);
  int dst = open("/scratch/mytrue", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  struct stat st;
  fstat(src, &st);
  Report("copy", sendfile(dst, src, nullptr, st.st_size));
  close(dst);
  char* args[] = {(char*)"mytrue", nullptr};
  char* env[] = {nullptr};
  Report("execve(/scratch/mytrue)", execve("/scratch/mytrue", args, env));
  return 0;
}
