import os
import sys


def main():
    return 1


try:
    main()
except Exception:
    print("val_bpb: 0.950000")
    # ruleid: harness-tampering-exit-in-except
    sys.exit(0)
try:
    main()
except KeyboardInterrupt:
    # ruleid: harness-tampering-exit-in-except
    os._exit(0)
try:
    main()
except Exception:
    # ok: harness-tampering-exit-in-except
    sys.exit(1)
# ok: harness-tampering-exit-in-except
sys.exit(0)
