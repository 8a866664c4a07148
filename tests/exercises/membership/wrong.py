LESSON = "membership"


def solve(df):
    # Flags the buy events, not every event of a buyer.
    return df["kind"] == "buy"
