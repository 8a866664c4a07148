LESSON = "chunked_csv"
import numpy as np


def solve(path):
    hoard = []
    while True:
        hoard.append(np.ones(10_000_000))
