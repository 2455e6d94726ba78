// Attack (sandbox.md §8): row 11: create /dev/mem and another GPU's node
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("mknod(1:1)", mknod("/scratch/mem", S_IFCHR | 0600, makedev(1, 1)));
  Report("mknod(195:1)", mknod("/scratch/nvidia1", S_IFCHR | 0666, makedev(195, 1)));
  return 0;
}
