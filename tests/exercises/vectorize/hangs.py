LESSON = "vectorize"


def solve(df):
    while True:
        pass
