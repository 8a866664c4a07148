"""loc vs iloc; what is wrong with df[df.a > 0]['b'] = 1?

Every variant does the same update: orders that waited more than LATE days
were cancelled, so their qty becomes 0. Each gets its own copy of the frame
and returns it after the assignment; the lab compares the frames.
"""

import numpy as np

import pdlab

LATE = 5.0  # days; about 8% of the orders wait longer

lesson = pdlab.lesson(
    question="loc vs iloc; what is wrong with df[df.a > 0]['b'] = 1?",
    answer="""
        loc selects by label (and boolean masks), iloc by integer position, and
        either one takes rows and column together, so df.loc[df.a > 0, 'b'] = 1
        is a single call that writes into the frame. The chained form indexes
        twice: the boolean mask returns a new frame, a copy, and the assignment
        lands in that temporary, so the original is silently unchanged; pandas
        can only warn (SettingWithCopyWarning), and under copy-on-write it never
        writes through.
    """,
    signal="""
        The candidate has debugged pandas code that 'ran fine' but did nothing:
        they know views from copies, write one indexing call per assignment,
        and treat SettingWithCopyWarning as a bug report rather than noise.
    """,
    trivia="partial",
    dataset="mixed",
    sizes=[10_000, 100_000, 1_000_000],
    reference="loc_mask",
    # The chained form changes nothing and pandas says so; loc is right and
    # far faster than touching one cell at a time: about 200x at 10,000
    # rows, 770x at 100,000 (the claim speaks at 10,000, where the loop
    # costs a tenth of a second a call, not a second).
    hints=[
        "Index once: a selection followed by a second indexing step may write into a copy.",
        "df.loc takes the rows and the column in one call, and writes into df itself.",
        "df.loc[df['wait'] > LATE, 'qty'] = 0, then return df.",
    ],
    claims=[
        pdlab.wrong("chained", warns="SettingWithCopyWarning"),
        pdlab.faster("loc_mask", than="at_loop", at=10_000, by=100),
    ],
)


@lesson.variant(kind="vectorized", mutates=True)
def chained(df):
    """df[mask]['qty'] = 0: assigns into a temporary copy; df is unchanged."""
    df[df["wait"] > LATE]["qty"] = 0
    return df


@lesson.variant(kind="vectorized", mutates=True)
def loc_mask(df):
    """df.loc[mask, 'qty'] = 0: rows and column in one call, written in place."""
    df.loc[df["wait"] > LATE, "qty"] = 0
    return df


@lesson.variant(kind="vectorized", mutates=True)
def iloc_positions(df):
    """df.iloc needs positions: the mask's row numbers and the column's number."""
    rows = np.flatnonzero(df["wait"].to_numpy() > LATE)
    df.iloc[rows, df.columns.get_loc("qty")] = 0
    return df


@lesson.variant(kind="numpy", mutates=True)
def where_column(df):
    """Rebuild the whole column with np.where and assign it back."""
    df["qty"] = np.where(df["wait"] > LATE, 0, df["qty"])
    return df


# .at is the fastest way to touch one cell, but a loop over every row still
# pays a Python call (two, for late rows) per row.
@lesson.variant(kind="loop", max_n=100_000, mutates=True)
def at_loop(df):
    """A loop over the index reading and writing single cells with .at."""
    for i in df.index:
        if df.at[i, "wait"] > LATE:
            df.at[i, "qty"] = 0
    return df
