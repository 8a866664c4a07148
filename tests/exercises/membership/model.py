LESSON = "membership"


def solve(df):
    return df["user"].isin(df.loc[df["kind"] == "buy", "user"])
