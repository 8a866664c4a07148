"""A test lesson for pdlab compare: `nap` sleeps 5 ms, or longer when
PDLAB_TEST_NAP_MS says so, so that a second run with a change made on purpose
can be compared with a first run without one."""

import os
import time

import pdlab

lesson = pdlab.lesson(
    question="Does compare find a change made on purpose?",
    answer="Only when the samples of both runs say so.",
    signal="Tests pdlab compare.",
    trivia="none",
    dataset="column",
    sizes=[1_000],
    reference="nap",
)


@lesson.variant(kind="stdlib")
def nap(df):
    """Sleeps PDLAB_TEST_NAP_MS milliseconds (default 5), then sums."""
    time.sleep(float(os.environ.get("PDLAB_TEST_NAP_MS", "5")) / 1000)
    return float(df["value"].sum())


@lesson.variant(kind="vectorized")
def total(df):
    """Sleeps 5 ms whatever the environment says, then sums: a figure that
    must not change between runs. (A call of a few microseconds of CPU moves
    by half under another process's load, which is a real change in what was
    measured; a test of compare must not hinge on the machine being idle.)"""
    time.sleep(0.005)
    return float(df["value"].sum())
