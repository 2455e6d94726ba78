// Attack (sandbox.md §8): row 15: bpf()
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "attack.h"

int main(int argc, char** argv) {

  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  Report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
  return 0;
}
