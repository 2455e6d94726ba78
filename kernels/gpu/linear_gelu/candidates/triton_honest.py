"""Honest Triton fused linear + GELU: tl.dot main loop, bias + GELU in the epilogue."""
import triton
import triton.language as tl


@triton.jit
def _linear_gelu(x_ptr, w_ptr, b_ptr, y_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                 BK: tl.constexpr):
    pid = tl.program_id(0)
    grid_n = tl.cdiv(N, BN)
    rm = (pid // grid_n) * BM + tl.arange(0, BM)
    rn = (pid % grid_n) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    x_ptrs = x_ptr + rm[:, None] * K + rk[None, :]
    w_ptrs = w_ptr + rk[:, None] * N + rn[None, :]
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for _ in range(0, K, BK):
        acc += tl.dot(tl.load(x_ptrs), tl.load(w_ptrs))
        x_ptrs += BK
        w_ptrs += BK * N
    t = acc + tl.load(b_ptr + rn).to(tl.float32)[None, :]
    y = t * tl.sigmoid(1.5957691216 * (t + 0.044715 * t * t * t))
    tl.store(y_ptr + rm[:, None] * N + rn[None, :], y.to(tl.bfloat16))


def run(x, w, b, y):
    m, k = x.shape
    n = w.shape[1]
    grid = (triton.cdiv(m, 128) * triton.cdiv(n, 128),)
    _linear_gelu[grid](x, w, b, y, m, n, k, BM=128, BN=128, BK=64, num_warps=8, num_stages=3)
