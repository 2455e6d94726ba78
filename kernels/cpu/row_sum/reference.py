def run(x, mask):
    return (x * (1 - mask)).sum(dim=-1)
