"""A test lesson (tests/e2e/own_data.sh): the frame a worker loads from an
imported CSV holds each column with its meaning, the same as
python/pdlab_read.py gives. The checks run in prepare, so a wrong dtype
stops the lesson with the reason."""

import pandas as pd

import pdlab

EXPECTED = {
    "zip": "object", "Cost Total $": "float64", "day": "datetime64[ns]",
    "stamp": "datetime64[ns]", "bad_day": "object", "city": "category",
    "note": "object", "flag": "boolean", "qty": "int64", "score": "float64",
    "almost": "object",
}

lesson = pdlab.lesson(
    question="Does an imported dataset load with its meaning?",
    answer="Yes: codes as categories, dates as datetime64, booleans, text.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="hard",
    sizes=[2, 6],
    reference="count",
)


@lesson.prepare
def checked(df, n):
    got = {c: str(t) for c, t in df.dtypes.items() if c in EXPECTED}
    assert got == EXPECTED, f"dtypes {got}"
    assert len(df) == n, f"{len(df)} rows at n = {n}"
    assert df["zip"].iloc[0] == "00501"
    assert str(df["day"].iloc[0]) == "2023-01-05 00:00:00"
    return df


@lesson.variant(kind="vectorized")
def count(df):
    """Non-missing cells per column."""
    return df.count().tolist()


@lesson.variant(kind="loop")
def count_loop(df):
    """The same, cell by cell."""
    return [sum(1 for v in df[c] if not pd.isna(v)) for c in df.columns]
