# Returns a NumPy array instead of a tensor: the wrong kind of output, not a hack.
def run(x, y):
    return (x + y).numpy()
