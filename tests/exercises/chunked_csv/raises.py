LESSON = "chunked_csv"


def solve(path):
    # A column that does not exist.
    return path["revenue"]
