LESSON = "chained_indexing"
LATE = 5.0


def solve(df):
    # The chained assignment: lands in a temporary copy.
    df[df["wait"] > LATE]["qty"] = 0
    return df
