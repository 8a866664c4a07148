"""Why did this DataFrame eat all my memory?

The analysis needs three columns of the people table: city, age and score.
They are held in three representations, built once outside timing:
- as loaded: city as object (one Python str per cell), age int64, score float64;
- city as a category (one byte per row plus the 20 names), numbers as loaded;
- compact: the category, age downcast to int8, score to float32.
Every variant computes the same thing on one representation: the mean score
per city of the people aged AGE or over, to the hundredth of a point (float32
carries about seven digits, plenty for that). The observation beside each
variant is its representation's memory_usage(deep=True); the peak memory is
what the query itself allocated, and it shrinks with the columns it copies.
"""

import pandas as pd

import pdlab

AGE = 30

lesson = pdlab.lesson(
    question="Why did this DataFrame eat all my memory?",
    answer="""
        Mostly strings: an object column stores a pointer per cell to a full
        Python str of 50 bytes or more, so a column of city names costs tens of
        times what a category does (small integer codes plus each distinct name
        once). Numbers default to 64 bits, where int8 or float32 often suffice.
        Measure with df.memory_usage(deep=True), keep only the columns you need,
        convert low-cardinality strings to category and downcast numbers with
        pd.to_numeric(downcast=...), at load time if you can; grouping on the
        category codes is faster too.
    """,
    signal="""
        The candidate has run out of memory on real data and knows where it
        went: they measure before guessing, know what object dtype really
        stores, choose dtypes deliberately, and know the trade-offs (float32's
        precision, category only pays for few distinct values).
    """,
    trivia="none",
    dataset="people",
    sizes=[10_000, 100_000, 1_000_000],
    reference="as_loaded",
    focus="memory",
    claims=[
        # The query's peak, alone in a fresh process: as_loaded 49-58 MiB,
        # compact 19.5-28.6 MiB over ten runs here (2.0x to 2.6x); the
        # resident set moves with the kernel's pages, not with the code.
        pdlab.less_memory("compact", than="as_loaded", at=1_000_000, by=1.5),
        pdlab.faster("compact", than="as_loaded", at=1_000_000, by=3),
    ],
)

COLUMNS = ["city", "age", "score"]


@lesson.prepare
def representations(df, n):
    loaded = df[COLUMNS].copy()
    by_category = loaded.astype({"city": "category"})
    compact = by_category.assign(
        age=pd.to_numeric(loaded["age"], downcast="integer"),
        score=pd.to_numeric(loaded["score"], downcast="float"),
    )
    reps = {"loaded": loaded, "category": by_category, "compact": compact}
    # Stamped here, outside timing; pandas carries attrs into query results.
    for frame in reps.values():
        frame.attrs["memory"] = frame.memory_usage(deep=True, index=False)
    return reps


@lesson.observe
def representation_memory(result):
    usage = getattr(result, "attrs", {}).get("memory")
    if usage is None:
        return ""
    cols = ", ".join(f"{c} {usage[c] / 2**20:.1f}" for c in usage.index)
    return f"representation {usage.sum() / 2**20:.1f} MiB ({cols})"


def mean_score_by_city(frame):
    adults = frame[frame["age"] >= AGE]
    # observed=False, pandas 1.5's default, spelled out: with observed=True
    # 1.5 lists a filtered category's groups in order of appearance, not sorted.
    means = adults.groupby("city", observed=False)["score"].mean()
    return means.astype("float64").round(2)


@lesson.variant(kind="vectorized")
def as_loaded(reps):
    """The query on object strings, int64 and float64, as read."""
    return mean_score_by_city(reps["loaded"])


@lesson.variant(kind="vectorized")
def category_city(reps):
    """The same query with city as a category: groupby uses its codes."""
    return mean_score_by_city(reps["category"])


@lesson.variant(kind="vectorized")
def compact(reps):
    """Category city, int8 age, float32 score: every copied column is smaller."""
    return mean_score_by_city(reps["compact"])
