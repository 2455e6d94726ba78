// Attack (sandbox.md §8): row 1-2: open a AF_INET socket
#include <sys/socket.h>

#include "attack.h"

int main(int argc, char** argv) {
  Report("socket(AF_INET)", socket(AF_INET, SOCK_STREAM, 0));
  return 0;
}
