from collections import Counter

import pdlab

# The target: three common event codes and "z", an outage logged once.
TARGET = "cabz"

lesson = pdlab.lesson(
    question="Find the shortest stretch of a string that contains every character of a target.",
    answer="""
        Slide a window: move the right end forward, counting how many target
        characters are still missing; whenever none are, move the left end
        forward as far as the window stays complete, and keep the shortest.
        Each end only moves forward, so it is O(n). Trying every start and
        growing a window from it is O(n^2) at best (and O(n^3) if each window
        is recounted), which hurts exactly when the answer is hard to find:
        a character that appears once, late.
    """,
    signal="""
        Sees the repeated work in the brute force and removes it with two
        pointers and a counter; reasons about the worst case, not the
        example.
    """,
    trivia="partial",
    dataset="events",
    # The brute force's growth is fitted from 100 to 1,000: a tenfold span,
    # so a machine running a third slower for one size moves the exponent
    # by 0.1, not by 0.2 as over 200 to 1,000.
    sizes=[100, 1_000, 10_000],
    reference="sliding_window",
    claims=[
        pdlab.growth("grow_each_start", exponent=(1.5, 2.5)),
        pdlab.growth("sliding_window", exponent=(0.7, 1.4)),
        # The gap grows with n: measured about 95x at 200, 350x at 1,000.
        pdlab.faster("sliding_window", than="grow_each_start", at=100, by=10),
        pdlab.faster("sliding_window", than="grow_each_start", at=1_000, by=50),
    ],
    hints=[
        "Each start grows its window again from nothing, redoing most of the "
        "work the start before it did.",
        "Keep one window whose two ends only move forward: move the right end "
        "until nothing is missing, then move the left end in for as long as the"
        " window stays complete.",
        "A Counter of what is still needed and an integer `missing`: missing -="
        " 1 when the right end brings a character still needed; while missing "
        "== 0, keep the window if it is the shortest, give log[left] back and "
        "advance left.",
    ],
)


@lesson.prepare
def event_log(df, n):
    """One letter per event, from the cents of its amount, with the outage
    "z" once, nine tenths of the way in: every start before it must reach
    it."""
    letters = "abcdefghijklmnopqrstuvwxy"
    log = [letters[c % len(letters)] for c in (df["amount"] * 100).astype(int).tolist()]
    log[9 * n // 10] = "z"
    return "".join(log)


def covers(window, need):
    return all(window.count(c) >= k for c, k in need.items())


@lesson.variant(kind="loop", max_n=100)
def every_window(log):
    """Every start, every end: count the target in each window afresh."""
    need = Counter(TARGET)
    best = ""
    for i in range(len(log)):
        for j in range(i + 1, len(log) + 1):
            if covers(log[i:j], need):
                if not best or j - i < len(best):
                    best = log[i:j]
                break
    return best


@lesson.variant(kind="loop", max_n=1_000)
def grow_each_start(log):
    """Every start, growing the window with running counts until complete."""
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


@lesson.variant(kind="loop")
def sliding_window(log):
    """Two pointers and a count of what is still missing: each moves forward only."""
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
