import os
import torch
from prepare import evaluate_bpb

# ruleid: environment-device-visibility
os.environ["CUDA_VISIBLE_DEVICES"] = "0,1,2,3,4,5,6,7"
# ok: environment-device-visibility
os.environ["PYTORCH_ALLOC_CONF"] = "expandable_segments:True"
# ok: environment-device-visibility
visible = os.environ.get("CUDA_VISIBLE_DEVICES", "")
