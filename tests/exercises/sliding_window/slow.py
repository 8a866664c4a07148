LESSON = "sliding_window"

from collections import Counter

TARGET = "cabz"


def solve(log):
    need = Counter(TARGET)
    best = ""
    for i in range(len(log)):
        have = Counter()
        missing = len(TARGET)
        for j in range(i, len(log)):
            c = log[j]
            if have[c] < need[c]:
                missing -= 1
            have[c] += 1
            if missing == 0:
                if not best or j + 1 - i < len(best):
                    best = log[i:j + 1]
                break
    return best
