# Ignores the mask (a plausible-looking but wrong kernel).
def run(x, mask):
    return x.sum(dim=-1)
