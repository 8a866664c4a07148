"""A test lesson whose reference variant takes its worker down
(tests/test_worker.c): the variants checked against it cannot be verified,
but they did not crash."""

import ctypes

import pdlab

lesson = pdlab.lesson(
    question="What happens to the variants of a reference that crashes?",
    answer="They cannot be verified; they are not blamed for the crash.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="segfaults",
)


@lesson.variant(kind="loop")
def segfaults(df):
    """The reference: reads address 0."""
    return ctypes.string_at(0)


@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()


@lesson.variant(kind="vectorized")
def total_again(df):
    return df["x"].to_numpy().sum()
