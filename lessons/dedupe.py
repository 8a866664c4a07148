"""Remove duplicates from a list while keeping order.

The input is the user of every event, in event order: each user appears
about four times. Every variant returns the users in order of first
appearance.
- list: the question as asked, a Python list. Checking `x not in unique`
  against the output list rescans it for every element, O(n^2) overall; a
  seen-set makes each check O(1); dict.fromkeys does the same in one
  expression (dicts keep insertion order since Python 3.7); pd.unique hashes
  in compiled code but must first turn the list into an array.
- array: the same values as the NumPy array a DataFrame column holds, where
  pd.unique (a hash table, first-seen order) competes with np.unique, which
  sorts and so needs the first positions sorted back into order.
"""

import numpy as np
import pandas as pd

import pdlab

lesson = pdlab.lesson(
    question="Remove duplicates from a list while keeping order.",
    answer="""
        list(dict.fromkeys(items)): dict keys are unique and, since Python 3.7,
        keep insertion order, so one hashing pass does it in O(n); a seen-set
        plus an output list is the same algorithm spelled out. The tempting
        `if x not in result` loop is quadratic because `in` on a list is a
        scan. When the values are already a NumPy array or a Series, pd.unique
        (or Series.unique) hashes in compiled code, keeps first-seen order and
        is several times faster again; np.unique sorts, so it loses the order.
    """,
    signal="""
        The candidate knows the cost of `in` for each container and the
        guarantees of the built-in types (dict order), and picks the tool that
        matches where the data already lives.
    """,
    trivia="partial",
    dataset="events",
    # The list-membership loop takes about 0.1 s at 10,000 items and grows
    # with the square, so it stops there; three sizes fit its exponent.
    sizes=[1_000, 3_000, 10_000, 300_000],
    reference={"list": "dict_fromkeys", "array": "pd_unique_array"},
    focus="growth",
    claims=[
        pdlab.growth("list_loop", exponent=(1.5, 2.5)),  # measured 2.0
        pdlab.faster("dict_fromkeys", than="list_loop", at=10_000, by=50),
        pdlab.faster("pd_unique_array", than="np_unique_sorted", at=300_000, by=3),
    ],
)


# ---- list: a plain Python list of user ids ----------------------------------

@lesson.prepare(part="list")
def user_list(df, n):
    return df["user"].tolist()


@lesson.variant(kind="loop", part="list", max_n=10_000)
def list_loop(items):
    """`if x not in unique: unique.append(x)`: a scan of the output per item."""
    unique = []
    for x in items:
        if x not in unique:
            unique.append(x)
    return unique


@lesson.variant(kind="loop", part="list")
def seen_set(items):
    """A set of what was seen beside the output list: one hash lookup per item."""
    seen = set()
    unique = []
    for x in items:
        if x not in seen:
            seen.add(x)
            unique.append(x)
    return unique


@lesson.variant(kind="stdlib", part="list")
def dict_fromkeys(items):
    """list(dict.fromkeys(items)): dict keys are unique and keep insertion order."""
    return list(dict.fromkeys(items))


@lesson.variant(kind="vectorized", part="list")
def pd_unique(items):
    """pd.unique(items): converts the list to an array, then hashes in C."""
    return pd.unique(items)


# ---- array: the same ids as the column's NumPy array ------------------------

@lesson.prepare(part="array")
def user_array(df, n):
    return df["user"].to_numpy()


@lesson.variant(kind="vectorized", part="array")
def pd_unique_array(users):
    """pd.unique(users): a hash table in C, values in first-seen order."""
    return pd.unique(users)


@lesson.variant(kind="numpy", part="array")
def np_unique_sorted(users):
    """np.unique(return_index=True) sorts; sorting the first positions restores order."""
    _, first = np.unique(users, return_index=True)
    return users[np.sort(first)]
