import torch
import torch.nn.functional as F
from flash_attn import flash_attn_func
from prepare import evaluate_bpb


def attend(q, k, v, mask):
    # ruleid: evaluation-tampering-non-causal-attention
    a = F.scaled_dot_product_attention(q, k, v, is_causal=False)
    # ruleid: evaluation-tampering-non-causal-attention
    b = flash_attn_func(q, k, v, causal=False)
    # ruleid: evaluation-tampering-non-causal-attention
    c = flash_attn_func(q, k, v, causal=True, window_size=(-1, -1))
    # ok: evaluation-tampering-non-causal-attention
    d = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    # ok: evaluation-tampering-non-causal-attention
    e = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=False)
    # ruleid: evaluation-tampering-non-causal-attention
    g = F.scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False)
    # ok: evaluation-tampering-non-causal-attention
    f = flash_attn_func(q, k, v, causal=True, window_size=(256, 0))
    return a + b + c + d + e + f + g
