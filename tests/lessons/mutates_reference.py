"""A test lesson whose reference returns a view of the frame, and a later
variant that changes the frame without declaring mutates=True: the kept
reference must not change with it, or the correct variant after it would be
reported wrong."""

import pdlab

lesson = pdlab.lesson(
    question="Does an undeclared mutation corrupt the reference?",
    answer="No: the reference's result is kept apart from the input.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="column",
)


@lesson.variant(kind="vectorized")
def column(df):
    """The reference: the column itself, a view that shares the frame's memory."""
    return df["y"]


@lesson.variant(kind="vectorized")
def doubles_in_place(df):
    """Doubles the column in the shared frame, without saying so."""
    df["y"] *= 2
    return df["y"]


@lesson.variant(kind="numpy")
def copied(df):
    """Runs after the mutation: a correct copy of the column."""
    return df["y"].copy()
