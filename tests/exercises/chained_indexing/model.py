LESSON = "chained_indexing"
LATE = 5.0


def solve(df):
    df.loc[df["wait"] > LATE, "qty"] = 0
    return df
