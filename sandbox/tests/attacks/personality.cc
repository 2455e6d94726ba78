// Attack (sandbox.md §8): row 16: weaken ASLR / W^X through personality
#include <sys/personality.h>

#include "attack.h"

int main(int argc, char** argv) {

  Report("personality(READ_IMPLIES_EXEC)", personality(READ_IMPLIES_EXEC));
  Report("personality(ADDR_NO_RANDOMIZE)", personality(ADDR_NO_RANDOMIZE));
  Report("personality(query)", personality(0xffffffff));
  return 0;
}
