// Attack (sandbox.md §8): positive control: write scratch, /tmp, /dev/shm; mmap PROT_EXEC from scratch (Triton dlopen)
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <stdlib.h>

#include "attack.h"

int main(int argc, char** argv) {

  for (const char* p : {"/scratch/f", "/tmp/f", "/dev/shm/f", "/scratch/tmp/f"}) {
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
    Report(p, fd >= 0 && write(fd, "data", 4) == 4 ? 0 : -1);
    if (fd >= 0) close(fd);
  }
  int fd = open("/scratch/f", O_RDONLY);
  void* m = mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  Report("mmap(PROT_EXEC, scratch)", m == MAP_FAILED ? -1 : 0);
  printf("HOME=%s TMPDIR=%s TRITON_CACHE_DIR=%s TORCHINDUCTOR_CACHE_DIR=%s\n", getenv("HOME"),
         getenv("TMPDIR"), getenv("TRITON_CACHE_DIR"), getenv("TORCHINDUCTOR_CACHE_DIR"));
  return 0;
}
