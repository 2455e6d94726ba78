// Attack (sandbox.md §8): row 12: open device nodes that are not assigned
#include <fcntl.h>

#include "attack.h"

int main(int argc, char** argv) {

  for (const char* p : {"/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-modeset",
                        "/dev/mem", "/dev/kmsg", "/dev/sda"}) {
    Report(p, open(p, O_RDWR));
  }
  return 0;
}
