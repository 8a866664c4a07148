"""Why is vectorized NumPy/pandas code faster than a Python loop?

Every variant computes the same thing: each order's revenue, price * qty,
with a 10% discount on orders that waited more than LATE days. The row loops
pay the interpreter's price on every row: boxing each value into a Python
object, looking up names, dispatching arithmetic. The vectorized forms pay it
once per column and then run a tight compiled loop over contiguous memory.
"""

import numpy as np

import pdlab

LATE = 4.0       # days; orders that waited longer get the discount
DISCOUNT = 0.1   # share taken off a late order

lesson = pdlab.lesson(
    question="Why is vectorized NumPy/pandas code faster than a Python loop?",
    answer="""
        A Python loop runs interpreter bytecode for every element: it boxes each
        value into a Python object, looks up attributes and dispatches every
        operator dynamically, and iterrows even builds a whole Series per row.
        A vectorized expression crosses into compiled code once per column and
        then streams over typed, contiguous memory in a tight compiled loop, so
        the cost per row drops from microseconds (over ten for iterrows) to a
        few nanoseconds, until memory bandwidth, not Python, sets the pace.
    """,
    signal="""
        The candidate knows where the time goes rather than repeating 'loops are
        slow': they will reach for column operations first, know that iterrows
        and apply(axis=1) are the slowest idioms in pandas, and can say when a
        vectorized form stops winning (memory-bound work, large temporaries).
    """,
    trivia="none",
    dataset="mixed",
    # The row loops stop at 10,000 (iterrows takes half a second there);
    # from two sizes their growth is fitted and extrapolated to 300,000. At
    # 1,000 rows pandas' fixed per-call overhead is still visible.
    sizes=[1_000, 10_000, 300_000],
    reference="columns",
    # What the variants read: `pdlab run vectorize --dataset yours --columns
    # price=...` maps a dataset of your own onto these.
    columns={"price": "number", "qty": "number", "wait": "number"},
    # The point: row loops are hundreds of times slower at 10,000 rows, and
    # pay a constant price per row (their time grows linearly with n).
    # For the exercise (pdlab exercise vectorize), gentle first.
    hints=[
        "Work on whole columns at once instead of one row at a time: "
        "df['price'] * df['qty'] is one operation.",
        "The discount is a condition per row; a boolean mask, df['wait'] > LATE, "
        "holds all of them at once.",
        "revenue = df['price'] * df['qty'], then revenue.mask(df['wait'] > LATE, "
        "revenue * (1 - DISCOUNT)), or np.where on the arrays.",
    ],
    claims=[
        # About 600x and 6,000x at 10,000 rows (210x at 3,000, where the
        # columns' fixed cost per call still weighs).
        pdlab.faster("columns", than="iterrows", at=10_000, by=100),
        pdlab.faster("numpy_arrays", than="iterrows", at=10_000, by=300),
        # Linear: 0.94 and 0.96 measured from 3,000 to 30,000 rows on a
        # 2-core machine, 0.84 from 1,000 (what iterrows sets up per call
        # still weighs there).
        pdlab.growth("iterrows", exponent=(0.75, 1.25)),
    ],
)


# ---- row by row: what a typical first answer looks like --------------------

# iterrows builds a Series for each row (object dtype here, because of the
# categorical `group` column): over ten microseconds per row.
@lesson.variant(kind="loop", max_n=10_000)
def iterrows(df):
    """for _, row in df.iterrows(): one Series built per row."""
    out = []
    for _, row in df.iterrows():
        revenue = row["price"] * row["qty"]
        if row["wait"] > LATE:
            revenue *= 1 - DISCOUNT
        out.append(revenue)
    return out


@lesson.variant(kind="loop", max_n=10_000)
def itertuples(df):
    """for row in df.itertuples(): namedtuples, far cheaper than iterrows."""
    out = []
    for row in df.itertuples(index=False):
        revenue = row.price * row.qty
        if row.wait > LATE:
            revenue *= 1 - DISCOUNT
        out.append(revenue)
    return out


@lesson.variant(kind="apply", max_n=10_000)
def apply_rows(df):
    """df.apply(f, axis=1): looks vectorized, is a Python call per row."""
    def revenue(row):
        total = row["price"] * row["qty"]
        return total * (1 - DISCOUNT) if row["wait"] > LATE else total
    return df.apply(revenue, axis=1)


@lesson.variant(kind="loop", max_n=10_000)
def numpy_rows(df):
    """Loop over the rows of .to_numpy(): NumPy storage, Python arithmetic."""
    out = []
    for price, qty, wait in df[["price", "qty", "wait"]].to_numpy():
        revenue = price * qty
        if wait > LATE:
            revenue *= 1 - DISCOUNT
        out.append(revenue)
    return out


# ---- whole columns at once: what a strong answer looks like ----------------

@lesson.variant(kind="vectorized")
def columns(df):
    """Column arithmetic; Series.mask applies the discount where wait > LATE."""
    revenue = df["price"] * df["qty"]
    return revenue.mask(df["wait"] > LATE, revenue * (1 - DISCOUNT))


@lesson.variant(kind="numpy")
def numpy_arrays(df):
    """The same on the raw arrays: np.where, no index alignment to pay for."""
    price = df["price"].to_numpy()
    qty = df["qty"].to_numpy()
    wait = df["wait"].to_numpy()
    revenue = price * qty
    return np.where(wait > LATE, revenue * (1 - DISCOUNT), revenue)


# eval parses the expression on every call (about a millisecond), so numexpr
# only pays off on large frames and longer expressions.
@lesson.variant(kind="numexpr")
def eval_expr(df):
    """DataFrame.eval: numexpr evaluates the whole expression in one pass."""
    return df.eval("price * qty * (1 - @DISCOUNT * (wait > @LATE))")
