"""A test lesson for statistics, answer groups (parts), curves and results
that change between calls (tests/e2e/figures.sh). One statistic claim is
false on purpose."""

import numpy as np

import pdlab

lesson = pdlab.lesson(
    question="How often does a fair coin come up heads?",
    answer="About half the time; a biased one more often.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="column",
    sizes=[2_000, 4_000],
    reference={"fair": "fair_numpy", "biased": "biased_numpy"},
    statistics={"heads": lambda r: pdlab.proportion(np.sum(r), len(r)),
                "flips": lambda r: len(r)},
    claims=[
        pdlab.statistic("fair_numpy", "heads", at=4_000, between=(0.45, 0.55)),
        # False on purpose: a fair coin is not heads nine times in ten.
        pdlab.statistic("fair_numpy", "heads", at=4_000, between=(0.85, 0.95)),
        # Across parts: the biased coin's rate over the fair one's.
        pdlab.statistic_ratio("biased_numpy", "heads", than="fair_numpy", at=4_000,
                              at_least=1.3),
        pdlab.wrong("remembers"),
        pdlab.wrong("nested_change"),
    ],
    curves=[pdlab.curve("Share of heads so far", x="flips", y="share of heads", at=4_000,
                        variants=["fair_numpy", "biased_numpy"],
                        series=lambda r: {"share": (np.arange(1, len(r) + 1),
                                                    np.cumsum(r) / np.arange(1, len(r) + 1))},
                        marks=lambda r: [(len(r), np.mean(r), "after every flip")])],
)


@lesson.prepare(part="fair")
def fair_draws(df, n):
    return df["value"].to_numpy()


@lesson.prepare(part="biased")
def nested_draws(df, n):
    return {"draws": [[float(v)] for v in df["value"].to_numpy()]}


@lesson.variant(kind="numpy", part="fair")
def fair_numpy(values):
    """Heads when the value is below its median."""
    return values < np.median(values)


_seen = []


@lesson.variant(kind="loop", part="fair")
def remembers(values, seen=_seen):
    """Right on its first call; keeps every earlier call's flips after."""
    seen.extend((values < np.median(values)).tolist())
    return list(seen)


@lesson.variant(kind="numpy", part="biased")
def biased_numpy(nested):
    """Heads below the 70th percentile."""
    values = np.array([d[0] for d in nested["draws"]])
    return values < np.percentile(values, 70)


@lesson.variant(kind="loop", part="biased")
def nested_change(nested):
    """The same, but it rounds the values inside the nested lists it was given."""
    for d in nested["draws"]:
        d[0] = round(d[0], 1)
    values = np.array([d[0] for d in nested["draws"]])
    return values < np.percentile(values, 70)
