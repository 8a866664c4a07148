"""A test lesson for the run's time budget (tests/e2e/budget.sh): a loop
over every pair of rows, cheap at the two small sizes and hopeless at the
largest, beside an n log n loop and the vectorized reference, which stay
cheap everywhere. No claims: the test checks what the budget leaves out."""

import bisect

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="How many pairs of rows have x[i] < x[j]?",
    answer="Sort once and count with a binary search; comparing every pair "
           "grows as n^2.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[300, 600, 20_000],
    reference="searchsorted",
)


@lesson.variant(kind="vectorized")
def searchsorted(df):
    """For each value, the count of smaller ones, by binary search."""
    x = df["x"].to_numpy()
    return int(np.searchsorted(np.sort(x), x, side="left").sum())


@lesson.variant(kind="loop")
def bisect_loop(df):
    """The same search from a Python loop: n log n, slower but cheap."""
    xs = df["x"].tolist()
    s = sorted(xs)
    return sum(bisect.bisect_left(s, a) for a in xs)


@lesson.variant(kind="loop")
def every_pair(df):
    """Compares every pair: n^2."""
    xs = df["x"].tolist()
    return sum(1 for a in xs for b in xs if b < a)
