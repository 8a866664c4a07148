LESSON = "groupby"


def solve(df):
    # A column that does not exist.
    return df["revenue"]
