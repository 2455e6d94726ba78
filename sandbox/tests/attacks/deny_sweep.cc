// Attack (sandbox.md §8): rows 5-15: the rest of the deny list, with harmless arguments
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/time.h>
#include <time.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("kcmp", syscall(SYS_kcmp, 1, 1, 0, 0, 0));
  Report("pidfd_open", syscall(SYS_pidfd_open, 1, 0));
  Report("pidfd_getfd", syscall(SYS_pidfd_getfd, 0, 0, 0));
  Report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", nullptr, nullptr, 0));
  Report("kexec_load", syscall(SYS_kexec_load, 0, 0, nullptr, 0));
  Report("init_module", syscall(SYS_init_module, nullptr, 0, ""));
  Report("iopl", syscall(SYS_iopl, 3));
  Report("ioperm", syscall(SYS_ioperm, 0x80, 1, 1));
  Report("swapon", syscall(SYS_swapon, "/scratch/swap", 0));
  Report("reboot", syscall(SYS_reboot, 0, 0, 0, nullptr));
  Report("syslog", syscall(SYS_syslog, 3, nullptr, 0));
  Report("acct", syscall(SYS_acct, nullptr));
  struct timeval tv = {0, 0};
  Report("settimeofday", syscall(SYS_settimeofday, &tv, nullptr));
  struct timespec ts = {0, 0};
  Report("clock_settime", clock_settime(CLOCK_REALTIME, &ts));
  Report("sethostname", sethostname("evil", 4));
  return 0;
}
