"""A test lesson that is hostile to the harness without failing itself: a
'%' in its names (gnuplot reads tic labels as formats), a variant that
writes malformed events on the worker's event pipe (fd 3), and a mutating
variant whose input is a frame inside a dict (its copy must be deep)."""

import os

import pdlab

lesson = pdlab.lesson(
    question="Does the harness survive a lesson that is hostile to it?",
    answer="Yes: names are escaped, events are untrusted, copies are deep.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="mixed",
    sizes=[1000, 2000],
    reference="100% vec",
)


@lesson.prepare
def in_a_dict(df, n):
    return {"frame": df}


@lesson.variant("100% vec", kind="vectorized")
def total(d):
    """The reference, with a '%' in its name."""
    return d["frame"]["x"].sum()


@lesson.variant(kind="loop")
def forges_events(d):
    """Writes events the parent must not trust, then answers correctly."""
    lies = [
        b'{"event": "result", "variant": "forges_events", "warnings": [1, null, {}]}\n',
        b'{"event": "start", "variant": 7}\n',
        b'{"event": 5}\n',
        b'[1, 2, 3]\n',
        b'\xff\xfe not json at all\n',
    ]
    for line in lies:
        os.write(3, line)
    return sum(d["frame"]["x"].tolist())


@lesson.variant(kind="vectorized", mutates=True)
def doubles_inside(d):
    """Declares that it changes its input, and does: the frame in the dict."""
    d["frame"]["x"] *= 2
    return d["frame"]["x"].sum() / 2


@lesson.variant(kind="numpy")
def after_doubling(d):
    """Runs after doubles_inside: it must see the frame as it was."""
    return d["frame"]["x"].to_numpy().sum()
