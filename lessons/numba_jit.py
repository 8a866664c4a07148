"""A loop NumPy cannot express: the level of a tank with a floor and a cap.

Each step adds the day's net inflow (the column's standard normal values) to
the level, then clips it to [0, 10]: tomorrow's level depends on today's
clipped one, so no cumulative sum gives it. The Python loop is the honest
answer; numba compiles the same loop to machine code. np.clip(np.cumsum(x))
is the nearest NumPy one-liner and it is wrong: it clips the running total
once instead of the level at every step.

numba pays its compile on the first call: compiled_fresh compiles a new
dispatcher on every call, so each timed call pays what one first call pays;
compiled compiled in the untimed first call and shows the steady state.
numba is imported by prepare, inside the worker and outside the timing,
never when pdlab reads the lesson.
"""

import functools

import numpy as np

import pdlab

CAP = 10.0

lesson = pdlab.lesson(
    question="When the logic cannot be vectorized, what then?",
    answer="""
        First check that it really cannot: many loops are a cumsum, a
        groupby or a mask in disguise. When each step depends on the result of
        the previous one (a clipped running level, a state machine), write the
        plain loop and compile it with numba.njit, which turns it into machine
        code that runs hundreds of times faster than the interpreter. The
        compile takes a fraction of a second on the first call, so it pays off
        for data that is large or a function that is called many times, not
        for one call on a thousand rows.
    """,
    signal="""
        Does not force a one-liner that gives a wrong answer; knows what a JIT
        costs (compile time, a subset of Python) and when it pays.
    """,
    trivia="partial",
    dataset="column",
    sizes=[10_000, 100_000],
    reference="python_loop",
    # Measured on a busy 2-core machine at 100,000 rows: compiled about 150x
    # faster than the loop; at 10,000 rows the loop about 10x faster than a
    # call that must compile first.
    claims=[
        pdlab.faster("compiled", than="python_loop", at=100_000, by=30),
        pdlab.faster("compiled", than="compiled_fresh", at=10_000, by=20),
        pdlab.faster("python_loop", than="compiled_fresh", at=10_000, by=3),
        pdlab.wrong("cumsum_clip"),
    ],
)


@lesson.prepare
def inflows(df, n):
    _compiled()  # imports numba (about a second) outside every timed call
    return df["value"].to_numpy()


def tank_level(inflow):
    level = np.empty_like(inflow)
    current = 0.0
    for i in range(len(inflow)):
        current = min(CAP, max(0.0, current + inflow[i]))
        level[i] = current
    return level


@functools.cache
def _compiled():
    import numba

    return numba.njit(tank_level)


@lesson.variant(kind="loop")
def python_loop(inflow):
    """The loop in Python, over a list of floats."""
    level, current = [], 0.0
    for x in inflow.tolist():
        current = min(CAP, max(0.0, current + x))
        level.append(current)
    return level


@lesson.variant(kind="compiled")
def compiled(inflow):
    """The same loop under numba.njit, compiled once, in the first call."""
    return _compiled()(inflow)


@lesson.variant(kind="compiled", max_n=10_000)
def compiled_fresh(inflow):
    """numba.njit of the loop made anew on every call: each call pays the compile."""
    import numba

    return numba.njit(tank_level)(inflow)


@lesson.variant(kind="numpy")
def cumsum_clip(inflow):
    """np.clip(np.cumsum(inflow), 0, CAP): one pass, but clips only the total."""
    return np.clip(np.cumsum(inflow), 0.0, CAP)
