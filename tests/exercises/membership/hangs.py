LESSON = "membership"


def solve(df):
    while True:
        pass
