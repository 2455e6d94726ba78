// Attack (sandbox.md §8): row 1-2: open a AF_NETLINK socket
#include <sys/socket.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("socket(AF_NETLINK)", socket(AF_NETLINK, SOCK_RAW, 0));
  return 0;
}
