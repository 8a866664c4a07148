"""A lesson that reads only its CSV (csv_only=True) under its own memory
limit: the worker loads no DataFrame, and the threads it starts reserve
small stacks. Its notes say what the preparer got and what one thread took."""

import threading

import pandas as pd

import pdlab

lesson = pdlab.lesson(
    question="Does a csv_only lesson's worker hold the dataset?",
    answer="No: its preparer gets None, and its variants read the file.",
    signal="Test lesson.",
    trivia="none",
    dataset="events",
    sizes=[1_000, 5_000],
    reference="whole",
    csv_only=True,
    mem_limit=1024,
)

_seen = {}


def _vm_size():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@lesson.prepare
def path_only(df, n):
    _seen["frame"] = type(df).__name__
    return lesson.csv_path


@lesson.variant(kind="vectorized")
def whole(path):
    """pd.read_csv(path).amount.sum()"""
    return pd.read_csv(path)["amount"].sum()


@lesson.variant(kind="vectorized")
def in_a_thread(path):
    """The same in a thread, whose address space is noted while it waits."""
    out, ready, go = {}, threading.Event(), threading.Event()

    def work():
        ready.set()
        go.wait()
        out["sum"] = pd.read_csv(path)["amount"].sum()

    before = _vm_size()
    t = threading.Thread(target=work)
    t.start()
    ready.wait()
    _seen["thread"] = _vm_size() - before
    go.set()
    t.join()
    return out["sum"]


@lesson.observe
def note(result):
    thread = _seen.pop("thread", None)
    text = f"preparer got {_seen.get('frame')}"
    return text if thread is None else f"{text}; a thread took {thread / 2**20:.1f} MiB"
