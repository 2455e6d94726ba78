import os
import torch

# ok: persistent-state-env-var-write
os.environ["PYTORCH_ALLOC_CONF"] = "expandable_segments:True"


class ModelNew(torch.nn.Module):
    def forward(self, x):
        # ruleid: persistent-state-env-var-write
        os.environ["LAST_SUM"] = str(float(x.sum()))
        return x


# ruleid: persistent-state-env-var-write
os.environ["PHASE"] = str(len(os.listdir(".")))
