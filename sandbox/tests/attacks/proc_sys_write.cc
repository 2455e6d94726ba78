// Attack (sandbox.md §8): row 20: write kernel knobs through /proc and /sys
#include <fcntl.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("open(/proc/sys/kernel/hostname, O_WRONLY)", open("/proc/sys/kernel/hostname", O_WRONLY));
  Report("open(/proc/sysrq-trigger, O_WRONLY)", open("/proc/sysrq-trigger", O_WRONLY));
  Report("open(/proc/sys/vm/drop_caches, O_WRONLY)", open("/proc/sys/vm/drop_caches", O_WRONLY));
  Report("open(/sys/kernel/mm/transparent_hugepage/enabled, O_WRONLY)",
         open("/sys/kernel/mm/transparent_hugepage/enabled", O_WRONLY));
  Report("open(/sys/devices/system/cpu/online, O_WRONLY)", open("/sys/devices/system/cpu/online", O_WRONLY));
  return 0;
}
