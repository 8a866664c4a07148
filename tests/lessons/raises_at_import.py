"""A test lesson whose file raises while it is executed, before it declares
anything (tests/test_worker.c)."""

import pdlab

raise RuntimeError("this lesson file fails on import")

lesson = pdlab.lesson(
    question="Is this reached?",
    answer="No: the file raised above.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="total",
)


@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()
