"""A test lesson whose variant forks a process that outlives the call
(tests/test_worker.c): the fork holds the worker's event pipe open and would
outlive the run unless the whole process group goes with the worker."""

import os
import time

import pdlab

lesson = pdlab.lesson(
    question="What happens to a process a variant leaves behind?",
    answer="It is killed with the worker's process group.",
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
def forks(df):
    """Forks a sleeper, notes its pid, and returns the right answer."""
    pid = os.fork()
    if pid == 0:
        time.sleep(300)
        os._exit(0)
    with open(os.environ["PDLAB_TEST_PIDFILE"], "a") as f:
        f.write(f"{pid}\n")
    return df["x"].sum()
