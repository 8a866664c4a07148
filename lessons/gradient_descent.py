import time

import numpy as np
import pandas as pd

import pdlab

# Training stops when the mean squared error is within 0.05% of the best a
# line can do (the least-squares fit's): "the given loss" every variant races
# to. The loss is checked EVALS times per epoch, off the clock.
WITHIN = 1.0005
EVALS = 20
MAX_EPOCHS = 200

lesson = pdlab.lesson(
    question="Batch, mini-batch and stochastic gradient descent: what are the trade-offs?",
    answer="""
        Full-batch gradient descent computes the exact gradient over every row
        per step: few, expensive steps. Stochastic gradient descent takes one
        row per step: cheap, noisy steps, and in Python each one pays the
        interpreter's overhead, so it is slowest in wall time. Mini-batches
        of a few hundred rows get most of the progress of a full step for a
        fraction of its cost and keep the work vectorized: on large data they
        reach a given loss far sooner than full batch. For plain linear
        regression the closed form (least squares) is exact and fastest.
    """,
    signal="""
        Reasons about cost per step against progress per step, and knows
        when an iterative method is not needed at all.
    """,
    trivia="partial",
    dataset="points",
    sizes=[3_000, 300_000],
    reference="least_squares",
    # An iterative fit stops near the exact answer, not on it.
    tolerance=2e-2,
    statistics={"seconds to the target loss": lambda r: r.attrs.get("seconds_to_target")},
    claims=[
        # Measured on a busy 2-core machine: 129x, 104x and 48x.
        pdlab.statistic_ratio("full_batch", "seconds to the target loss", than="mini_batch",
                              at=300_000, at_least=10),
        pdlab.faster("full_batch", than="per_sample_sgd", at=3_000, by=10),
        pdlab.faster("mini_batch", than="per_sample_sgd", at=3_000, by=10),
    ],
    curves=[pdlab.curve(
        "Loss against training time (off the clock: the loss checks themselves)",
        x="seconds of training, log scale", y="loss above the optimum's, as a share of it",
        at=3_000, variants=["full_batch", "mini_batch", "per_sample_sgd"], logx=True,
        logy=True, series=lambda r: {"loss": excess(*r.attrs["trace"])})],
)


def excess(seconds, ratios):
    """From the first step on (a log axis has no 0): loss / best - 1."""
    return seconds[1:], [max(q - 1, 1e-9) for q in ratios[1:]]


@lesson.prepare
def regression(df, n):
    """y = 1 + 3a - 2b + 0.3 c (noise): X with a column of ones, y, and the best loss."""
    X = np.column_stack([np.ones(n), df["a"].to_numpy(), df["b"].to_numpy()])
    y = X @ np.array([1.0, 3.0, -2.0]) + 0.3 * df["c"].to_numpy()
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    return X, y, np.mean((X @ best - y) ** 2)


def fitted(w, seconds, losses, best):
    """The coefficients, with the training trace: (seconds, loss / best)."""
    coef = pd.Series(w, index=["intercept", "a", "b"])
    coef.attrs["trace"] = (seconds, [loss / best for loss in losses])
    reached = [s for s, loss in zip(seconds, losses) if loss <= WITHIN * best]
    coef.attrs["seconds_to_target"] = reached[0] if reached else None
    return coef


def train(X, y, best, steps_per_epoch, step):
    """Runs step(w, k) until the loss is within WITHIN of best, timing only
    the steps; the loss is checked EVALS times an epoch."""
    w = np.zeros(X.shape[1])
    seconds, losses, clock = [0.0], [np.mean(y ** 2)], 0.0
    every = max(1, steps_per_epoch // EVALS)
    for k in range(MAX_EPOCHS * steps_per_epoch):
        t0 = time.perf_counter()
        w = step(w, k)
        clock += time.perf_counter() - t0
        if (k + 1) % every == 0:
            seconds.append(clock)
            losses.append(np.mean((X @ w - y) ** 2))
            if losses[-1] <= WITHIN * best:
                break
    return fitted(w, seconds, losses, best)


@lesson.variant(kind="numpy")
def least_squares(data):
    """The closed form: np.linalg.lstsq."""
    X, y, best = data
    return pd.Series(np.linalg.lstsq(X, y, rcond=None)[0], index=["intercept", "a", "b"])


@lesson.variant(kind="vectorized")
def full_batch(data):
    """Every row in every step: w -= lr * 2 X^T (Xw - y) / n."""
    X, y, best = data
    n = len(y)
    return train(X, y, best, 1, lambda w, k: w - 0.3 * 2 * X.T @ (X @ w - y) / n)


@lesson.variant(kind="vectorized")
def mini_batch(data):
    """Steps on 256 rows at a time, in order (the rows are already shuffled)."""
    X, y, best = data
    batches = len(y) // 256

    def step(w, k):
        i = (k % batches) * 256
        xb, yb = X[i:i + 256], y[i:i + 256]
        lr = 0.1 / (1 + k / 500)
        return w - lr * 2 * xb.T @ (xb @ w - yb) / 256
    return train(X, y, best, batches, step)


@lesson.variant(kind="loop", max_n=3_000)
def per_sample_sgd(data):
    """One row per step, in a Python loop over the rows."""
    X, y, best = data

    def step(w, k):
        i = k % len(y)
        lr = 0.02 / (1 + k / 5_000)
        return w - lr * 2 * (X[i] @ w - y[i]) * X[i]
    return train(X, y, best, len(y), step)
