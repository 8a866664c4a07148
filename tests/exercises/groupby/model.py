LESSON = "groupby"


def solve(df):
    return df.groupby("item")["amount"].sum()
