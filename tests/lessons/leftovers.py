"""A test lesson whose variants leave threads and processes behind
(tests/e2e/leftovers.sh): each must be reported as having left them running,
and none may outlive the run. Every variant returns the right answer, so
only what it left behind can fail it."""

import concurrent.futures
import multiprocessing
import subprocess
import sys
import threading
import time

import pdlab

lesson = pdlab.lesson(
    question="What happens to threads and processes a variant leaves behind?",
    answer="The variant fails, naming them; they do not outlive the worker.",
    signal="None: this lesson exists for the test suite.",
    trivia="yes",
    dataset="column",
    sizes=[1000],
    reference="tidy",
)


def _square(x):
    return x * x


def _answer(df):
    return float(df["value"].sum())


@lesson.variant(kind="stdlib")
def tidy(df):
    """Starts a pool and a thread, and shuts both down before returning."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(_square, range(4)))
    t = threading.Thread(target=time.sleep, args=(0.01,))
    t.start()
    t.join()
    return _answer(df)


@lesson.variant(kind="stdlib")
def spinning_thread(df):
    """Leaves a thread running that never ends."""
    stop = threading.Event()
    threading.Thread(target=stop.wait, name="forgotten-waiter", daemon=True).start()
    return _answer(df)


@lesson.variant(kind="stdlib")
def open_pool(df):
    """Leaves a process pool open (no close, no join)."""
    pool = multiprocessing.get_context("fork").Pool(2)
    pool.map(_square, range(4))
    open_pool.pools.append(pool)  # kept alive, as a module-level pool would be
    return _answer(df)


open_pool.pools = []


@lesson.variant(kind="stdlib")
def raw_child(df):
    """Starts a child process that sleeps, and never waits for it."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    raw_child.children.append(child)
    return _answer(df)


raw_child.children = []


@lesson.variant(kind="stdlib")
def raises_in_pool(df):
    """Raises while its process pool still runs a task."""
    pool = concurrent.futures.ProcessPoolExecutor(
        2, mp_context=multiprocessing.get_context("fork"))
    pool.submit(time.sleep, 300)
    raises_in_pool.pools.append(pool)
    raise RuntimeError("gave up halfway")


raises_in_pool.pools = []
