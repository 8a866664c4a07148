LESSON = "sliding_window"

from collections import Counter

TARGET = "cabz"


def solve(log):
    # Stops at the first complete window instead of looking for the shortest.
    need = Counter(TARGET)
    missing = len(TARGET)
    left = 0
    for right, c in enumerate(log):
        if need[c] > 0:
            missing -= 1
        need[c] -= 1
        if missing == 0:
            return log[left:right + 1]
    return ""
