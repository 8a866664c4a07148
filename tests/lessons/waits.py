"""A test lesson with a variant that never returns, after leaving a mark (the
file $PDLAB_TEST_MARK) and a child process of its own: the end-to-end tests
interrupt the run there and check that nothing of it is left."""

import os
import time

import pdlab

lesson = pdlab.lesson(
    question="What does a signal leave behind?",
    answer="A valid results.json, and no process.",
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
def waits(df):
    """Starts a sleeper, leaves the mark, and waits forever."""
    if os.fork() == 0:
        time.sleep(300)
        os._exit(0)
    with open(os.environ["PDLAB_TEST_MARK"], "w") as f:
        f.write("started\n")
    while True:
        time.sleep(1)
