"""When would you use apply instead of a vectorized operation?

Two exercises on the people table:
- numbers: put each score into a grade band, A (85 and up), B (70), C (55)
  or D, with a Python function through Series.apply and a comprehension, and
  with np.select and pd.cut, which compare whole columns in compiled code;
- strings: the domain of each email address, after the "@", with pandas'
  .str methods, Series.apply and a plain list comprehension.
On numbers apply pays a Python call per value and loses by an order of
magnitude. On an object column of strings there is no compiled path to lose
to: .str loops over the Python strings too, so the comprehension is the bar.
(Arrow-backed strings, dtype "string[pyarrow]", do run many .str methods in
compiled kernels; this lab's pandas has no pyarrow, so it cannot show them.)
"""

import numpy as np
import pandas as pd

import pdlab

lesson = pdlab.lesson(
    question="When would you use apply instead of a vectorized operation?",
    answer="""
        When there is no vectorized form and the data is modest, or the logic
        really is arbitrary Python: apply calls the function once per value,
        so it runs at the speed of a comprehension. On numbers that is a cliff:
        np.select, np.where or pd.cut do the same branching in compiled code,
        more than ten times faster at a hundred thousand rows. On strings,
        measure rather than assume: on an object column pandas' .str methods
        also loop over Python strings, with bookkeeping on top, so a plain
        comprehension (or apply) beats .str.split and .str.extract, here by
        two times or more.
    """,
    signal="""
        The candidate knows what runs in compiled code and what only looks like
        it: they will not wrap numeric logic in apply, will not rewrite readable
        string code into .str chains expecting a speedup, and will time the
        alternatives before arguing about them.
    """,
    trivia="none",
    dataset="people",
    # Every Python-level variant here allocates an object per row, which the
    # memory measurement (tracemalloc) makes several times slower: 100,000
    # rows keep the lesson to a few seconds and already show both gaps, with
    # every variant measured at every size.
    sizes=[1_000, 10_000, 100_000],
    reference={"numbers": "select", "strings": "comprehension_split"},
    # apply is a Python call per row; and a "vectorized" .str method is not
    # faster than a plain comprehension (measured here: about 3x slower).
    claims=[
        pdlab.faster("select", than="apply_band", at=100_000, by=5),
        pdlab.faster("comprehension_split", than="str_split", at=100_000, by=1.5),
    ],
)


# ---- numbers: a grade band from a score -------------------------------------

def band(score):
    """The rule as a candidate writes it first: a plain Python function."""
    if score >= 85:
        return "A"
    if score >= 70:
        return "B"
    if score >= 55:
        return "C"
    return "D"


@lesson.prepare(part="numbers")
def scores(df, n):
    return df["score"]


@lesson.variant(kind="apply", part="numbers")
def apply_band(scores):
    """scores.apply(band): one Python call per value."""
    return scores.apply(band)


@lesson.variant(kind="comprehension", part="numbers")
def comprehension_band(scores):
    """[band(s) for s in scores]: the same calls, without pandas in between."""
    return [band(s) for s in scores]


@lesson.variant(kind="numpy", part="numbers")
def select(scores):
    """np.select over three column comparisons; the first true one wins."""
    return np.select([scores >= 85, scores >= 70, scores >= 55], ["A", "B", "C"], default="D")


@lesson.variant(kind="vectorized", part="numbers")
def cut(scores):
    """pd.cut at the band edges: a binary search per value, a categorical out."""
    return pd.cut(scores, [-np.inf, 55, 70, 85, np.inf], labels=["D", "C", "B", "A"], right=False)


# ---- strings: the domain of an email address ---------------------------------

@lesson.prepare(part="strings")
def emails(df, n):
    return df["email"]


# .str.split builds a Python list for every row before .str[1] picks from it,
# and the garbage collector then has all those lists to scan as well.
@lesson.variant(kind="vectorized", part="strings")
def str_split(emails):
    """emails.str.split('@').str[1]: a list per row, then one item of each."""
    return emails.str.split("@").str[1]


@lesson.variant(kind="vectorized", part="strings")
def str_extract(emails):
    """emails.str.extract(r'@(.+)'): a regular expression matched per row."""
    return emails.str.extract(r"@(.+)", expand=False)


@lesson.variant(kind="apply", part="strings")
def apply_split(emails):
    """emails.apply(lambda e: e.split('@')[1]): a Python call per row."""
    return emails.apply(lambda e: e.split("@")[1])


@lesson.variant(kind="comprehension", part="strings")
def comprehension_split(emails):
    """[e.split('@')[1] for e in emails]: a plain loop over the strings."""
    return [e.split("@")[1] for e in emails]
