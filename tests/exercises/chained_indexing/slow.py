LESSON = "chained_indexing"
LATE = 5.0


def solve(df):
    for i in df.index:
        if df.at[i, "wait"] > LATE:
            df.at[i, "qty"] = 0
    return df
