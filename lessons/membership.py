"""Here is a slow function; make it faster.

The function flags every event whose user has bought something at some point
(to exclude buyers from a campaign, say). The first version keeps the buyers
in a list, so `user in buyers` scans it: about one user in five buys, so the
list grows with n, and n lookups each costing O(n) make the whole thing
quadratic. The lab profiles that version to point at the line that costs the
time. The fix changes one word, list to set, which makes each lookup O(1);
the vectorized form asks pandas the same question with isin.
"""

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="Here is a slow function; make it faster.",
    answer="""
        Profile it before touching it: here nearly all the time is one line,
        `user in buyers`, a membership test on a list, which scans the list and
        so makes the function quadratic (ten times the events, a hundred times
        the time). Making buyers a set turns each test into a hash lookup and
        the function linear, a one-word change; with the data already in a
        DataFrame, df['user'].isin(buyer_ids) does the whole job in one call.
    """,
    signal="""
        The candidate measures before optimizing, reasons about complexity
        instead of micro-tuning syntax, knows the cost of `in` for each
        container, and stops once the hot spot is gone.
    """,
    trivia="none",
    dataset="events",
    # The list version is quadratic: about a quarter of a second per call at
    # 30,000 events and over twenty seconds at 300,000, so it stops at 30,000;
    # four sizes are enough to fit its exponent.
    sizes=[1_000, 3_000, 10_000, 30_000, 100_000],
    reference="isin",
    focus="growth",
    profile="buyers_list",
    # Profile first, then fix the data structure: the list scan is quadratic,
    # the set linear. Fitted from 1,000 rows, where fixed costs still flatten
    # it, the list's exponent measures 1.7 to 2.0 here: 1.5 to 2.5 tells
    # quadratic from linear with room for a noisy machine.
    hints=[
        "Profile the slow answer: one line takes nearly all of the time. What does "
        "`in` cost on a list?",
        "A set answers `in` with a hash lookup; pandas answers the whole question "
        "with one call.",
        "df['user'].isin(df.loc[df['kind'] == 'buy', 'user']).",
    ],
    claims=[
        pdlab.growth("buyers_list", exponent=(1.5, 2.5)),
        pdlab.growth("buyers_set", exponent=(0.8, 1.25)),
        pdlab.faster("np_isin", than="buyers_list", at=30_000, by=100),
    ],
)


@lesson.variant(kind="loop", max_n=30_000)
def buyers_list(df):
    """Buyers collected in a list; `user in buyers` scans it for every event."""
    buyers = []
    for user, kind in zip(df["user"], df["kind"]):
        if kind == "buy" and user not in buyers:
            buyers.append(user)
    flags = []
    for user in df["user"]:
        flags.append(user in buyers)
    return flags


@lesson.variant(kind="loop")
def buyers_set(df):
    """The same function with buyers in a set: each test is a hash lookup."""
    buyers = set()
    for user, kind in zip(df["user"], df["kind"]):
        if kind == "buy":
            buyers.add(user)
    flags = []
    for user in df["user"]:
        flags.append(user in buyers)
    return flags


@lesson.variant(kind="vectorized")
def isin(df):
    """df['user'].isin(users of the 'buy' events): one hash table, built once."""
    return df["user"].isin(df.loc[df["kind"] == "buy", "user"])


@lesson.variant(kind="numpy")
def np_isin(df):
    """np.isin on the raw NumPy arrays, without the Series around them."""
    users = df["user"].to_numpy()
    return np.isin(users, users[(df["kind"] == "buy").to_numpy()])
