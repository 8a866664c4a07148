"""A test lesson for claims (tests/e2e/claims.sh): one claim false on
purpose, one that a tight budget would cut, a wrong variant, and a memory
claim decided in fresh processes."""

import bisect

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="How many pairs of rows have x[i] < x[j]?",
    answer="Sort once and count with a binary search.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[300, 600, 2_000],
    reference="searchsorted",
    claims=[
        # False on purpose: no machine makes anything a billion times faster.
        pdlab.faster("searchsorted", than="every_pair", at=2_000, by=1e9),
        # Needs every_pair at 2,000 rows, which --budget 2 would leave out.
        pdlab.growth("every_pair", exponent=(1.5, 2.5)),
        pdlab.wrong("off_by_one"),
        pdlab.less_memory("bisect_loop", than="wasteful", at=2_000, by=5),
    ],
)


@lesson.variant(kind="vectorized")
def searchsorted(df):
    """For each value, the count of smaller ones, by binary search."""
    x = df["x"].to_numpy()
    return int(np.searchsorted(np.sort(x), x, side="left").sum())


@lesson.variant(kind="loop")
def bisect_loop(df):
    """The same search from a Python loop."""
    xs = df["x"].tolist()
    s = sorted(xs)
    return sum(bisect.bisect_left(s, a) for a in xs)


@lesson.variant(kind="loop")
def every_pair(df):
    """Compares every pair: n^2."""
    xs = df["x"].tolist()
    return sum(1 for a in xs for b in xs if b < a)


@lesson.variant(kind="vectorized")
def off_by_one(df):
    """Counts one too many: wrong."""
    return searchsorted(df) + 1


@lesson.variant(kind="numpy")
def wasteful(df):
    """The right count, after filling 160 MB for nothing."""
    scratch = np.ones(20_000_000)
    return searchsorted(df) + int(scratch.sum()) - 20_000_000
