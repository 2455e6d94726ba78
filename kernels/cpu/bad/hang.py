import time


def run(x, y):
    time.sleep(100)  # the hang: its error names this line
