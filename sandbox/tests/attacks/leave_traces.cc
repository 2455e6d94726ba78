// Attack (sandbox.md §8): row 32: leave files for the next run (argv[1] = write | check)
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "attack.h"

int main(int argc, char** argv) {

  const char* paths[] = {"/tmp/mark", "/dev/shm/mark", "/scratch/mark"};
  bool write_mode = strcmp(argv[1], "write") == 0;
  for (const char* p : paths) {
    if (write_mode) {
      Report(p, open(p, O_WRONLY | O_CREAT, 0644));
    } else {
      struct stat st;
      Report(p, stat(p, &st));
    }
  }
  return 0;
}
