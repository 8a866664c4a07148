"""Avoid iterating a DataFrame to aggregate.

Every variant computes the revenue of each item: the sum of `amount` over the
events of that item, in ascending item order. Items are small positive
integers (1 .. 2% of n, about 50 events each), which is what lets
np.bincount use them directly as array positions. The loop pays the
interpreter for every row; groupby hashes (or sorts) the keys and sums in
compiled code; bincount skips the hashing altogether.
"""

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="How do you avoid iterating over a DataFrame to aggregate it?",
    answer="""
        Say what you want per group and let pandas do the loop:
        df.groupby('item')['amount'].sum() factorizes the keys once and sums
        every group in one compiled pass, instead of a Python dictionary update
        per row. When the keys are already small non-negative integers,
        np.bincount(keys, weights=values) is a scatter-add with no hashing at
        all, faster still; np.add.at looks equivalent but is much slower.
    """,
    signal="""
        The candidate turns a row loop into a split-apply-combine in one line,
        knows what groupby costs (factorizing the keys) and when a plainer
        NumPy primitive does the same job, and checks that the answers match.
    """,
    trivia="none",
    dataset="events",
    sizes=[10_000, 100_000, 1_000_000],
    reference="groupby_sum",
    hints=[
        "Say what you want per item and let pandas do the loop.",
        "groupby splits by a key and sums each group in compiled code.",
        "df.groupby('item')['amount'].sum().",
    ],
    # A key and the amounts summed per key; --columns maps your own.
    columns={"item": "int", "amount": "number"},
    claims=[
        pdlab.faster("groupby_sum", than="dict_loop", at=100_000, by=20),
        pdlab.faster("bincount", than="groupby_sum", at=1_000_000, by=2),
    ],
)


# What a candidate fluent in Python but not in pandas writes first. itertuples
# is the fast way to walk rows (iterrows is ten times slower still).
@lesson.variant(kind="loop", max_n=100_000)
def dict_loop(df):
    """for row in df.itertuples(): totals[item] += amount, in a dict."""
    totals = {}
    for row in df.itertuples(index=False):
        totals[row.item] = totals.get(row.item, 0.0) + row.amount
    return [totals[item] for item in sorted(totals)]


@lesson.variant(kind="loop", max_n=100_000)
def zip_loop(df):
    """The same dict, but zip over the two columns as lists: no row objects."""
    totals = {}
    for item, amount in zip(df["item"].tolist(), df["amount"].tolist()):
        totals[item] = totals.get(item, 0.0) + amount
    return [totals[item] for item in sorted(totals)]


@lesson.variant(kind="vectorized")
def groupby_sum(df):
    """df.groupby('item')['amount'].sum(): keys factorized, sums in C."""
    return df.groupby("item")["amount"].sum()


@lesson.variant(kind="numpy")
def bincount(df):
    """np.bincount(item, weights=amount): the keys are the array positions."""
    item = df["item"].to_numpy()
    totals = np.bincount(item, weights=df["amount"].to_numpy())
    return totals[np.bincount(item) > 0]   # only the items that occur, as groupby


# The scatter-add spelled out: unbuffered, one element at a time (before
# NumPy 1.25 rewrote it), so it lands between the loop and bincount.
@lesson.variant(kind="numpy")
def add_at(df):
    """np.add.at(totals, item, amount): the same scatter-add, unbuffered."""
    item = df["item"].to_numpy()
    totals = np.zeros(item.max() + 1)
    np.add.at(totals, item, df["amount"].to_numpy())
    return totals[np.bincount(item) > 0]
