LESSON = "sliding_window"

from collections import Counter

TARGET = "cabz"


def solve(log):
    need = Counter(TARGET)
    missing = len(TARGET)
    best_start, best_len = 0, 0
    left = 0
    for right, c in enumerate(log):
        if need[c] > 0:
            missing -= 1
        need[c] -= 1
        while missing == 0:
            if not best_len or right + 1 - left < best_len:
                best_start, best_len = left, right + 1 - left
            need[log[left]] += 1
            if need[log[left]] > 0:
                missing += 1
            left += 1
    return log[best_start:best_start + best_len]
