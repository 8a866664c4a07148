"""A test lesson for the worker supervisor (tests/test_worker.c): variants
that take their worker process down in different ways, between good ones.
Each test picks the variants it runs."""

import ctypes
import os
import time

import pdlab

lesson = pdlab.lesson(
    question="Does a variant that kills its worker cost only itself?",
    answer="Yes: it is blamed, and a new worker measures the variants left.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="total",
)


@lesson.observe
def which_worker(result):
    """Names the process that computed the result: a variant measured after
    a crash must come from a new worker."""
    return f"worker pid {os.getpid()}"


@lesson.variant(kind="vectorized")
def total(df):
    """The reference: a column sum."""
    return df["x"].sum()


@lesson.variant(kind="loop")
def segfaults(df):
    """Reads address 0, as a bug in an extension would."""
    return ctypes.string_at(0)


@lesson.variant(kind="vectorized")
def total_again(df):
    """A good variant after a bad one."""
    return df["x"].to_numpy().sum()


@lesson.variant(kind="loop")
def exits(df):
    """Ends its process without unwinding, status 3."""
    os._exit(3)


@lesson.variant(kind="loop")
def sleeps(df):
    """Blocks forever in a system call, using no CPU."""
    while True:
        time.sleep(60)


@lesson.variant(kind="loop")
def total_last(df):
    """The last variant: the run got this far."""
    return sum(df["x"].tolist())


_calls = {"mutates_later": 0}


@lesson.variant(kind="loop")
def mutates_later(df):
    """Right on its first call; from its second on it changes the shared
    frame, undeclared. A call takes 30 ms, so none is made for calibration
    or tracemalloc (over 10 x --min-sample and 20 ms): its second call is a
    timed one, and the change is caught after the samples."""
    time.sleep(0.03)
    _calls["mutates_later"] += 1
    if _calls["mutates_later"] > 1:
        df.loc[0, "x"] = df["x"].iloc[0] + 1.0
    return df["x"].sum()
