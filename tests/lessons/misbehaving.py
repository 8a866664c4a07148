"""A test lesson whose variants fail in every way a worker must survive."""

import os

import pdlab

lesson = pdlab.lesson(
    question="Does the harness survive variants that fail?",
    answer="It reports each failure against its variant and carries on.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000],
    reference="fine",
)


@lesson.variant(kind="vectorized")
def fine(df):
    """The reference: a column sum."""
    return df["x"].sum()


@lesson.variant(kind="loop")
def raises(df):
    """Raises an exception."""
    raise ValueError("a bug in the variant")


@lesson.variant(kind="loop")
def hangs(df):
    """Never returns."""
    while True:
        pass


@lesson.variant(kind="loop")
def crashes(df):
    """Kills its own process, as a segfault in an extension would."""
    os.abort()


@lesson.variant(kind="loop")
def eats_memory(df):
    """Allocates without bound."""
    hoard = []
    while True:
        hoard.append(bytearray(64 << 20))


@lesson.variant(kind="loop")
def fine_again(df):
    """Runs after all the others: the run went on."""
    return sum(df["x"].tolist())


@lesson.variant(kind="loop")
def sneaky(df):
    """Right answer, but it drops a column of the frame every variant shares."""
    total = df["x"].sum()
    df.drop(columns="y", inplace=True)
    return total


@lesson.variant(kind="vectorized")
def after_sneaky(df):
    """Runs after sneaky: it must see the original frame again."""
    return df["x"].sum() if "y" in df.columns else None
