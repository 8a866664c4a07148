LESSON = "chunked_csv"
import pandas as pd


def solve(path):
    events = pd.read_csv(path)
    return events.groupby("kind")["amount"].mean()
