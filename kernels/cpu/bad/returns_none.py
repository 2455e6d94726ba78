# Forgets to return its result: the wrong kind of output, not a hack.
def run(x, y):
    x + y
