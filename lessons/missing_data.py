"""How do you handle missing data in pandas?

The score y has 5% of its values missing; group (the region) is the key.
Three strategies, each its own exercise with its own reference, since they
do not give the same answer:
- by_group: fill each gap with the mean of its group (a loop, a per-group
  apply, groupby().transform('mean') with fillna);
- drop: drop the rows whose y is missing;
- overall: fill each gap with the mean of the whole column.
Beside every result the lab prints its row count, mean and standard deviation:
the drop part's figures are those of the observed values, and the filled
columns keep the mean but show a smaller spread, because every filled value
sits exactly at a mean. Here the gaps are random, so no strategy biases the mean.
"""

import math

import numpy as np
import pandas as pd

import pdlab

lesson = pdlab.lesson(
    question="How do you handle missing data in pandas?",
    answer="""
        It depends on why the values are missing. Missing completely at random
        and few: dropping the rows (dropna) is honest; missing because of
        something you observe: fill from that, e.g. each group's mean with
        groupby().transform('mean') and fillna, one vectorized pass; missing
        because of the value itself: no fill repairs it, so keep an indicator
        column and say so. Any mean fill puts every gap at the centre, which
        shrinks the variance and weakens correlations, so report how much you
        imputed.
    """,
    signal="""
        The candidate asks where the gaps come from before touching them, knows
        that imputing changes the statistics downstream models see, and writes
        the fill as one groupby-transform rather than a loop over rows.
    """,
    trivia="partial",
    dataset="mixed",
    sizes=[10_000, 100_000, 1_000_000],
    reference={"by_group": "transform_fill", "drop": "dropna", "overall": "fillna_mean"},
    # A score with gaps and the group whose mean fills them; --columns maps
    # your own.
    columns={"y": "number", "group": "any"},
    claims=[
        pdlab.faster("transform_fill", than="loop_fill", at=100_000, by=10),
    ],
)


@lesson.observe
def spread(result):
    """Row count, missing values, mean and standard deviation of y."""
    y = result["y"] if isinstance(result, pd.DataFrame) else result
    y = np.asarray(y, dtype=float)
    return (f"{len(y):,} rows, {int(np.isnan(y).sum()):,} missing, "
            f"mean {np.nanmean(y):.2f}, std {np.nanstd(y, ddof=1):.2f}")


# ---- by_group: fill a gap with the mean of its group ------------------------

@lesson.variant(kind="loop", part="by_group", max_n=100_000)
def loop_fill(df):
    """Two loops over the rows: sums and counts per group, then fill the gaps."""
    sums, counts = {}, {}
    for group, y in zip(df["group"], df["y"]):
        if not math.isnan(y):
            sums[group] = sums.get(group, 0.0) + y
            counts[group] = counts.get(group, 0) + 1
    filled = []
    for group, y in zip(df["group"], df["y"]):
        filled.append(sums[group] / counts[group] if math.isnan(y) else y)
    return filled


# A Python function per group, not per row: with 8 groups that is cheap.
@lesson.variant(kind="apply", part="by_group")
def apply_per_group(df):
    """groupby('group')['y'].transform(lambda s: s.fillna(s.mean()))."""
    return df.groupby("group")["y"].transform(lambda s: s.fillna(s.mean()))


@lesson.variant(kind="vectorized", part="by_group")
def transform_fill(df):
    """y.fillna(groupby('group')['y'].transform('mean')): each row gets its group's mean."""
    return df["y"].fillna(df.groupby("group")["y"].transform("mean"))


# ---- drop: keep only the rows where y was observed --------------------------

@lesson.variant(kind="vectorized", part="drop")
def dropna(df):
    """df.dropna(subset=['y']): whole rows go, not just the missing cells."""
    return df.dropna(subset=["y"])


@lesson.variant(kind="vectorized", part="drop")
def notna_mask(df):
    """df[df['y'].notna()]: the same rows through a boolean mask."""
    return df[df["y"].notna()]


# ---- overall: fill every gap with the column's mean -------------------------

@lesson.variant(kind="comprehension", part="overall", max_n=100_000)
def comprehension_fill(df):
    """The mean of the observed values, then a comprehension over the rows."""
    observed = [y for y in df["y"] if not math.isnan(y)]
    mean = sum(observed) / len(observed)
    return [mean if math.isnan(y) else y for y in df["y"]]


@lesson.variant(kind="vectorized", part="overall")
def fillna_mean(df):
    """df['y'].fillna(df['y'].mean()): the mean skips NaN by default."""
    return df["y"].fillna(df["y"].mean())


@lesson.variant(kind="numpy", part="overall")
def where_nanmean(df):
    """np.where(np.isnan(y), np.nanmean(y), y) on the raw array."""
    y = df["y"].to_numpy()
    return np.where(np.isnan(y), np.nanmean(y), y)
