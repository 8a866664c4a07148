LESSON = "chunked_csv"
import pandas as pd


def solve(path):
    totals = None
    for chunk in pd.read_csv(path, chunksize=20_000):
        part = chunk.groupby("kind")["amount"].agg(["sum", "count"])
        totals = part if totals is None else totals.add(part, fill_value=0)
    return totals["sum"] / totals["count"]
