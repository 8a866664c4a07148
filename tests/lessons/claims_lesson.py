"""A test lesson for claims (tests/e2e/claims.sh): one claim false on
purpose, one that a tight budget would cut, a wrong variant, and a memory
claim decided in fresh processes."""

from collections import Counter

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="How many pairs of rows fall in the same group?",
    answer="Count each group once; a pair per two members of a group.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[300, 600, 2_000],
    reference="group_sizes",
    claims=[
        # False on purpose: no machine makes anything a billion times faster.
        pdlab.faster("group_sizes", than="every_pair", at=2_000, by=1e9),
        # Needs every_pair at 2,000 rows, which --budget 2 would leave out.
        pdlab.growth("every_pair", exponent=(1.5, 2.5)),
        pdlab.wrong("off_by_one"),
        pdlab.less_memory("counted", than="wasteful", at=2_000, by=5),
    ],
)


def pairs(sizes):
    return int(sum(int(c) * (int(c) - 1) // 2 for c in sizes))


@lesson.variant(kind="vectorized")
def group_sizes(df):
    """value_counts, then c * (c - 1) / 2 pairs per group."""
    return pairs(df["group"].value_counts())


@lesson.variant(kind="stdlib")
def counted(df):
    """The same with a Counter over the labels."""
    return pairs(Counter(df["group"]).values())


@lesson.variant(kind="loop")
def every_pair(df):
    """Compares every pair of rows: n^2."""
    groups = df["group"].tolist()
    return sum(1 for i, g in enumerate(groups) for h in groups[i + 1:] if g == h)


@lesson.variant(kind="vectorized")
def off_by_one(df):
    """Counts one pair too many: wrong."""
    return group_sizes(df) + 1


@lesson.variant(kind="numpy")
def wasteful(df):
    """The right count, after filling 160 MB for nothing."""
    scratch = np.ones(20_000_000)
    return group_sizes(df) + int(scratch.sum()) - 20_000_000
