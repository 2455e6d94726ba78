import requests
import torch
from huggingface_hub import hf_hub_download
from transformers import AutoModel
from prepare import evaluate_bpb

# ruleid: environment-network-access
weights = requests.get("https://example.com/w.pt").content
# ruleid: environment-network-access
path = hf_hub_download("gpt2", "model.safetensors")
# ruleid: environment-network-access
model = AutoModel.from_pretrained("gpt2")
# ruleid: environment-network-access
hub = torch.hub.load("pytorch/vision", "resnet18")
# ok: environment-network-access
state = torch.load("checkpoint.pt")
