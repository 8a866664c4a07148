LESSON = "vectorize"
import numpy as np


def solve(df):
    hoard = []
    while True:
        hoard.append(np.ones(10_000_000))
