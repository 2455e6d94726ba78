// Attack (sandbox.md §8): row 1-2: open a AF_PACKET socket
#include <sys/socket.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("socket(AF_PACKET)", socket(AF_PACKET, SOCK_RAW, 0));
  return 0;
}
