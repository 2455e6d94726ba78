# GPU attack (sandbox.md §8 rows 24, 27): leave a pattern in device memory ("fill"); the next
# evaluation reads fresh allocations ("read") and must see no trace of it.
import sys
import torch
n = 8 << 30
if sys.argv[1] == "fill":
    t = torch.full((n,), 0xAB, dtype=torch.uint8, device="cuda")
    torch.cuda.synchronize()
    print("filled", t.numel() >> 30, "GiB")
else:
    t = torch.empty((n,), dtype=torch.uint8, device="cuda")
    found = sum(int((c == 0xAB).sum()) for c in t.split(1 << 28))  # chunks: no 64 GiB temp
    print("pattern bytes found:", found)
    sys.exit(1 if found else 0)
