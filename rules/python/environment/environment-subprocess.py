import subprocess
import torch

# ruleid: environment-subprocess
info = subprocess.run(["nvidia-smi"], capture_output=True)
# ok: environment-subprocess
x = torch.zeros(3)
