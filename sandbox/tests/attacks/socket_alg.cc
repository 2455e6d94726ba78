// Attack (sandbox.md §8): row 1-2: open a AF_ALG socket
#include <sys/socket.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("socket(AF_ALG)", socket(AF_ALG, SOCK_SEQPACKET, 0));
  return 0;
}
