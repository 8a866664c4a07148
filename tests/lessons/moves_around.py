"""A test lesson whose variants treat their working directory carelessly:
one changes it, one deletes every file in it. Each worker runs in a scratch
directory of its own, and each variant starts there."""

import os

import pdlab

lesson = pdlab.lesson(
    question="Can a variant reach the files of whoever runs pdlab?",
    answer="No: it works in a scratch directory, back to it after each call.",
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
def wanders(df):
    """Moves to / and stays there."""
    os.chdir("/")
    return df["x"].sum()


@lesson.variant(kind="loop")
def cleans_up(df):
    """Deletes every file in its working directory, then notes where that was
    (not in /, where a chdir that carried over would leave it: the test then
    fails on the note, and the machine keeps its files)."""
    if os.getcwd() != "/":
        for name in os.listdir("."):
            if os.path.isfile(name):
                os.remove(name)
    with open("where", "w") as f:
        f.write(os.getcwd())
    with open(os.environ["PDLAB_TEST_MARK"], "w") as f:
        f.write(os.getcwd())
    return df["x"].sum()
