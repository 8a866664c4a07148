import math

import numpy as np
from scipy.special import ndtr

import pdlab

# Each simulated experiment: LOOKS batches of BATCH users per arm, both arms
# converting at RATE: an A/A test, so every "significant" result is a false
# positive.
LOOKS = 20
BATCH = 200
RATE = 0.10
ALPHA = 0.05

lesson = pdlab.lesson(
    question="How do you design an A/B test and know when to stop it?",
    answer="""
        Fix the sample size before the test from the smallest effect worth
        detecting, the baseline rate, the significance level and the power,
        then test once when it is reached. Checking the p-value after every
        batch and stopping at the first p < 0.05 gives chance many tries: with
        twenty looks, about a quarter of tests with no real effect end
        "significant". If you must look early, use a sequential method
        (alpha spending, a sequential probability ratio test) built for it.
    """,
    signal="""
        Knows a p-value's guarantee holds for one planned test, and can show
        it by simulation instead of quoting a rule; thinks about error rates
        before launching, not after.
    """,
    trivia="partial",
    dataset="column",
    # Here n counts simulated experiments, not rows; each is LOOKS x BATCH
    # users per arm.
    sizes=[500, 2_000, 10_000],
    # Two answers to two questions: how often a planned test errs, and how
    # often a peeking one does. Each part checks its loop against its
    # vectorized simulation on the same simulated users.
    reference={"fixed": "fixed_vectorized", "peeking": "peek_vectorized"},
    statistics={"false positive rate": lambda r: pdlab.proportion(np.sum(r), len(r))},
    claims=[
        # Measured 0.050 (0.046-0.054) over 10,000 experiments.
        pdlab.statistic("fixed_vectorized", "false positive rate", at=10_000,
                        between=(0.03, 0.07)),
        # Measured 0.25 with 20 looks: 5x the planned test's rate.
        pdlab.statistic_ratio("peek_vectorized", "false positive rate",
                              than="fixed_vectorized", at=10_000, at_least=3),
        pdlab.faster("peek_vectorized", than="peek_loop", at=2_000, by=4),
        pdlab.faster("fixed_vectorized", than="fixed_loop", at=2_000, by=4),
    ],
)


@lesson.prepare(part="fixed")
def conversions(df, n):
    """Conversions per batch, shape (experiments, LOOKS, 2 arms), from a
    seeded generator: every variant sees the same simulated users."""
    rng = np.random.default_rng(n)
    return rng.binomial(BATCH, RATE, size=(n, LOOKS, 2))


lesson.prepare(part="peeking")(conversions)


def p_value(conv_a, conv_b, users):
    """Two-sided pooled two-proportion z-test, users per arm."""
    pooled = (conv_a + conv_b) / (2 * users)
    se = math.sqrt(pooled * (1 - pooled) * 2 / users)
    if se == 0:
        return 1.0
    return math.erfc(abs(conv_a - conv_b) / users / se / math.sqrt(2))


def p_values(conv_a, conv_b, users):
    """The same test on arrays of counts at once."""
    pooled = (conv_a + conv_b) / (2 * users)
    se = np.sqrt(pooled * (1 - pooled) * 2 / users)
    z = np.abs(conv_a - conv_b) / users / np.where(se == 0, np.inf, se)
    return 2 * ndtr(-z)


@lesson.variant(kind="loop", part="fixed", max_n=2_000)
def fixed_loop(batches):
    """Per experiment: total the batches, one test at the planned size."""
    significant = []
    for experiment in batches.tolist():
        conv_a = sum(batch[0] for batch in experiment)
        conv_b = sum(batch[1] for batch in experiment)
        significant.append(p_value(conv_a, conv_b, LOOKS * BATCH) < ALPHA)
    return significant


@lesson.variant(kind="numpy", part="fixed")
def fixed_vectorized(batches):
    """Totals of every experiment at once, one test per row."""
    totals = batches.sum(axis=1)
    return p_values(totals[:, 0], totals[:, 1], LOOKS * BATCH) < ALPHA


@lesson.variant(kind="loop", part="peeking", max_n=2_000)
def peek_loop(batches):
    """Per experiment: a test after every batch, stop at the first p < 0.05."""
    significant = []
    for experiment in batches.tolist():
        conv_a = conv_b = 0
        stopped = False
        for look, (a, b) in enumerate(experiment, start=1):
            conv_a += a
            conv_b += b
            if p_value(conv_a, conv_b, look * BATCH) < ALPHA:
                stopped = True
                break
        significant.append(stopped)
    return significant


@lesson.variant(kind="numpy", part="peeking")
def peek_vectorized(batches):
    """Running totals with cumsum, every look tested at once, any() per row."""
    running = batches.cumsum(axis=1)
    users = BATCH * np.arange(1, LOOKS + 1)
    return (p_values(running[:, :, 0], running[:, :, 1], users) < ALPHA).any(axis=1)
