LESSON = "groupby"


def solve(df):
    while True:
        pass
