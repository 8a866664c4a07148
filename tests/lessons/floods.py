"""A test lesson whose variant prints about 200 MB and then crashes: its
worker's log keeps the first and last lines, the crash report quotes the
last, and the parent never holds the flood."""

import os
import sys

import pdlab

lesson = pdlab.lesson(
    question="What does a variant that prints without end cost the run?",
    answer="A bounded log; the parent's memory stays small.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="total",
)


@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()


@lesson.variant(kind="loop")
def floods(df):
    """Prints 200 MB, says its last words, and aborts."""
    block = ("x" * 99 + "\n") * 10_000
    for _ in range(200):
        sys.stdout.write(block)
    sys.stdout.write("last words of the flood\n")
    sys.stdout.flush()
    os.abort()
