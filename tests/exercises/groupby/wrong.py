LESSON = "groupby"


def solve(df):
    # The mean per item, not the sum.
    return df.groupby("item")["amount"].mean()
