LESSON = "chained_indexing"


def solve(df):
    while True:
        pass
