import numpy as np
from sklearn.metrics import precision_recall_curve

import pdlab

lesson = pdlab.lesson(
    question="Precision versus recall: what is each, and when do you optimize which?",
    answer="""
        Precision is the share of flagged cases that are real; recall the share
        of real cases that get flagged. Raising the threshold trades recall for
        precision. Optimize precision when a false alarm is expensive (a spam
        filter that hides a customer's invoice), recall when a miss is (a
        screening test that sends a sick patient home). To get the whole curve,
        sort the scores once and take cumulative sums of the labels: every
        threshold's counts fall out in one pass, O(n log n), instead of
        recounting all rows per threshold, O(n x thresholds).
    """,
    signal="""
        Ties a metric to the cost of each kind of error in the product, and
        computes a curve with one sort instead of a loop of recounts.
    """,
    trivia="partial",
    dataset="points",
    sizes=[1_000, 3_000, 10_000, 30_000],
    reference="sort_cumsum",
    claims=[
        # Measured about 200x on a quiet 2-core machine. The mask's cost is
        # thresholds x n, but below about 10,000 rows the Python loop over
        # thresholds dominates each mask: n^1.54 measured from 1,000 to 10,000.
        pdlab.faster("sort_cumsum", than="numpy_mask", at=3_000, by=30),
        pdlab.growth("numpy_mask", exponent=(1.25, 2.6)),
        pdlab.faster("numpy_mask", than="loop", at=1_000, by=3),
        pdlab.similar("sort_cumsum", "sklearn", at=30_000, within=3),
    ],
    curves=[pdlab.curve(
        "Precision and recall against the threshold, and two operating points",
        x="threshold (the model's score)", y="precision, recall", at=30_000,
        variants=["sort_cumsum"],
        series=lambda r: {"precision": (r[0], r[1]), "recall": (r[0], r[2])},
        marks=lambda r: operating_points(*r))],
)


@lesson.prepare
def scored(df, n):
    """The model sees a; whether the case is real depends on a and b."""
    return df["a"].to_numpy(), (df["a"] + df["b"] > 1).to_numpy()


def operating_points(thresholds, precision, recall):
    """A spam filter: the lowest threshold with precision >= 0.9. A
    screening test: the highest threshold with recall >= 0.95."""
    spam = np.flatnonzero(precision >= 0.9)[0]
    screen = np.flatnonzero(recall >= 0.95)[-1]
    return [
        (thresholds[spam], precision[spam],
         f"spam filter: precision {precision[spam]:.2f}, recall {recall[spam]:.2f}"),
        (thresholds[screen], recall[screen],
         f"screening: recall {recall[screen]:.2f}, precision {precision[screen]:.2f}"),
    ]


@lesson.variant(kind="loop", max_n=1_000)
def loop(data):
    """For every threshold, a loop over all rows counting hits and flags."""
    scores, labels = data
    thresholds = sorted(set(scores.tolist()))
    positives = int(labels.sum())
    precision, recall = [], []
    for t in thresholds:
        flagged = hits = 0
        for s, real in zip(scores.tolist(), labels.tolist()):
            if s >= t:
                flagged += 1
                hits += real
        precision.append(hits / flagged)
        recall.append(hits / positives)
    return thresholds, precision, recall


@lesson.variant(kind="numpy", max_n=10_000)
def numpy_mask(data):
    """For every threshold, a NumPy mask over all rows: fast per threshold,
    still n x thresholds."""
    scores, labels = data
    thresholds = np.unique(scores)
    flagged = np.array([(scores >= t).sum() for t in thresholds])
    hits = np.array([labels[scores >= t].sum() for t in thresholds])
    return thresholds, hits / flagged, hits / labels.sum()


@lesson.variant(kind="numpy")
def sort_cumsum(data):
    """Sort by score once; cumulative sums give every threshold's counts."""
    scores, labels = data
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    hits = np.cumsum(labels[order])
    flagged = np.arange(1, len(ranked) + 1)
    # The last row of each run of equal scores holds that threshold's counts.
    last = np.r_[ranked[1:] != ranked[:-1], True]
    t, h, f = ranked[last][::-1], hits[last][::-1], flagged[last][::-1]
    return t, h / f, h / hits[-1]


@lesson.variant(kind="stdlib")
def sklearn(data):
    """sklearn.metrics.precision_recall_curve, without its closing (1, 0)."""
    scores, labels = data
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    return thresholds, precision[:-1], recall[:-1]
