LESSON = "chunked_csv"


def solve(path):
    while True:
        pass
