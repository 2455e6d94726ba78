// Attack (sandbox.md §8): row 15: leave a message in a keyring for the next run
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/keyctl.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("add_key", syscall(SYS_add_key, "user", "referee", "msg", 3, KEY_SPEC_USER_KEYRING));
  Report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
  return 0;
}
