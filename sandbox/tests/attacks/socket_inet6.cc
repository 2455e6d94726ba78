// Attack (sandbox.md §8): row 1-2: open a AF_INET6 socket
#include <sys/socket.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("socket(AF_INET6)", socket(AF_INET6, SOCK_STREAM, 0));
  return 0;
}
