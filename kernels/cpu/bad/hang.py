# expect: FAIL timeout
def run(x, y):
    while True:
        pass
