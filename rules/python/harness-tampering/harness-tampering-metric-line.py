import sys
import torch
from prepare import evaluate_bpb

model = torch.nn.Linear(4, 4)
val_bpb = evaluate_bpb(model, None, 8)
best = min(val_bpb, 0.9)
# ok: harness-tampering-metric-line
print(f"val_bpb:          {val_bpb:.6f}")
# ruleid: harness-tampering-metric-line
print(f"val_bpb: {best:.6f}")
# ruleid: harness-tampering-metric-line
print("val_bpb: 0.912345")
# ruleid: harness-tampering-metric-line
sys.stdout.write("val_bpb: %f\n" % (val_bpb * 0.9))
# ok: harness-tampering-metric-line
print(f"training_seconds: {12.5:.1f}")


def main(train_and_eval):
    # The caller (not in this file) passes the training-and-evaluation function in.
    result = train_and_eval()
    # ok: harness-tampering-metric-line
    print(f"val_bpb: {result:.6f}")


def report(value):
    # ruleid: harness-tampering-metric-line
    print(f"val_bpb: {value:.6f}")


report(0.91)
