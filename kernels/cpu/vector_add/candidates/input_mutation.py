# Input mutation: accumulates into x to save an allocation.
def run(x, y):
    x.add_(y)
    return x.clone()
