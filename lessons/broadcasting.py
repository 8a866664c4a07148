"""What is NumPy's broadcasting rule?

Two exercises on the same points (columns a, b, c):
- normalize: z-score every column of an (n, 3) array;
- pairwise: the (m, m) matrix of Euclidean distances between m points.
Broadcasting makes both one-liners; the pairwise one also shows its price:
the (m, m, 3) temporary it materializes.
"""

import math

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="What is NumPy's broadcasting rule?",
    answer="""
        Shapes are compared from the last axis backwards; two axes are compatible
        when they are equal or one of them is 1 (a missing leading axis counts as
        1), and a size-1 axis is stretched to match without copying. So an (n, 3)
        array minus a (3,) row of means works per column, and x[:, None, :] -
        x[None, :, :] turns (m, 3) points into an (m, m, 3) array of differences:
        fast, but that result is a real m*m*3 allocation, so broadcasting trades
        memory for speed and large m needs blocking.
    """,
    signal="""
        The candidate can reason about array shapes on paper, will replace
        nested loops with one array expression, and will also notice when that
        expression silently allocates gigabytes and chunk the work instead.
    """,
    trivia="partial",
    dataset="points",
    sizes=[10_000, 100_000, 1_000_000],
    reference={"normalize": "broadcast", "pairwise": "broadcast_pairs"},
    # Broadcasting's speed, and its memory price: the full m x m x 3
    # temporary of broadcast_pairs against blocks of 256 rows at a time.
    claims=[
        # 230x at 10,000 rows and 260x at 100,000: the loop's cost per element
        # is the point, and it shows at the smaller size for a tenth the time.
        pdlab.faster("broadcast", than="double_loop", at=10_000, by=50),
        pdlab.less_memory("blocked_pairs", than="broadcast_pairs", at=1_000_000, by=2),
    ],
)

COLUMNS = ["a", "b", "c"]


# ---- normalize: (x - mean) / std for every column ---------------------------

@lesson.prepare(part="normalize")
def points_array(df, n):
    return df[COLUMNS].to_numpy()


@lesson.variant(kind="loop", part="normalize", max_n=100_000)
def double_loop(x):
    """Nested Python loops over columns and rows, element by element."""
    rows, cols = x.shape
    out = np.empty_like(x)
    for j in range(cols):
        mean = sum(x[i, j] for i in range(rows)) / rows
        std = (sum((x[i, j] - mean) ** 2 for i in range(rows)) / rows) ** 0.5
        for i in range(rows):
            out[i, j] = (x[i, j] - mean) / std
    return out


# Looping over three columns costs three NumPy calls: harmless. The price of a
# Python loop is paid per iteration, so it is the loop over rows that hurts.
@lesson.variant(kind="numpy", part="normalize")
def column_loop(x):
    """A Python loop over the columns, NumPy within each column."""
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        col = x[:, j]
        out[:, j] = (col - col.mean()) / col.std()
    return out


@lesson.variant(kind="vectorized", part="normalize")
def broadcast(x):
    """(x - x.mean(axis=0)) / x.std(axis=0): (n, 3) against (3,)."""
    # NumPy's std is the population one (ddof=0); pandas' .std() is ddof=1.
    return (x - x.mean(axis=0)) / x.std(axis=0)


# ---- pairwise: distance between every pair of m points ----------------------

@lesson.prepare(part="pairwise")
def first_points(df, n):
    # The work is m*m, so m grows like sqrt(n) to keep it proportional to n.
    # At n = 1,000,000, m = 2,000: the (m, m, 3) float64 temporary is 96 MB and
    # the broadcast variant peaks near twice that (the differences and their
    # squares are alive together). m = n // 100 would need 2.4 GB per temporary.
    m = 2 * math.isqrt(n)
    return df[COLUMNS].iloc[:m].to_numpy()


@lesson.variant(kind="loop", part="pairwise", max_n=100_000)
def pair_loop(x):
    """Two nested Python loops calling math.dist on each pair."""
    points = x.tolist()
    out = []
    for p in points:
        row = []
        for q in points:
            row.append(math.dist(p, q))
        out.append(row)
    return out


@lesson.variant(kind="vectorized", part="pairwise")
def broadcast_pairs(x):
    """(m, 1, 3) - (1, m, 3) -> (m, m, 3) differences, summed over the last axis."""
    diff = x[:, None, :] - x[None, :, :]
    return np.sqrt((diff ** 2).sum(axis=-1))


# What a strong candidate does when m grows: keep the broadcast, bound the
# temporary at block * m * 3 values. Often faster too, since blocks fit in cache.
@lesson.variant(kind="numpy", part="pairwise")
def blocked_pairs(x, block=256):
    """The same broadcast, a block of rows at a time: the temporary stays small."""
    out = np.empty((len(x), len(x)))
    for start in range(0, len(x), block):
        diff = x[start:start + block, None, :] - x[None, :, :]
        out[start:start + block] = np.sqrt((diff ** 2).sum(axis=-1))
    return out
