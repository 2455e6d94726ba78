# GPU control: a PyTorch matmul.
import torch
a = torch.randn(2048, 2048, device="cuda")
b = a @ a.T
torch.cuda.synchronize()
print("matmul ok", torch.cuda.get_device_name(0), float(b.trace()) > 0)
