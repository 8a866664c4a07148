"""A test lesson for `pdlab exercise`: its preparer, which only the starter
and the workers run (never the declaration), hangs or ends its process when
PDLAB_TEST_STARTER says so ("hang", "exit", "crash"). pdlab exercise must
report it and survive."""

import os
import signal

import pdlab

lesson = pdlab.lesson(
    question="Does pdlab exercise survive a lesson that misbehaves?",
    answer="The starter is written in a worker with a time limit.",
    signal="Tests pdlab exercise.",
    trivia="none",
    dataset="column",
    sizes=[1_000, 2_000],
    reference="total",
    claims=[pdlab.faster("total", than="loop", at=2_000, by=2)],
    hints=["Sum the column in one call."],
)


@lesson.prepare
def values(df, n):
    how = os.environ.get("PDLAB_TEST_STARTER", "")
    while how == "hang":
        pass
    if how == "exit":
        os._exit(3)
    if how == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    return df["value"].tolist()


@lesson.variant(kind="loop")
def loop(values):
    """A Python loop."""
    s = 0.0
    for x in values:
        s += x
    return s


@lesson.variant(kind="stdlib")
def total(values):
    """sum() of the list: one call."""
    return sum(values)
