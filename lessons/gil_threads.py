"""What the GIL does to threads, measured three ways on the same machine.

cpu: four equal chunks of pure-Python arithmetic (a sum over a range),
serially, on a thread pool and on a process pool of as many workers as the
machine has cores (forked from the worker, and shut down by the variant).
numpy: sorting four quarters of the column's first million values, serially
and on threads; NumPy lets go of the GIL while it sorts. io: eight requests
to a local server that answers each after 10 ms, one after another and on
eight threads.
Every pool is made and shut down inside the call it serves, so its start-up
is part of what is measured, as it would be in a script.
"""

import concurrent.futures
import multiprocessing
import os
import socket

import numpy as np

import pdlab

CHUNKS = 4
SORTED = 1_000_000
REQUESTS = 8
DELAY_S = 0.01
CORES = os.cpu_count() or 1

lesson = pdlab.lesson(
    question="How does the GIL affect multithreading?",
    answer="""
        CPython runs Python bytecode in one thread at a time: the global
        interpreter lock. Threads therefore give no speedup on pure-Python CPU
        work, and often a small slowdown from switching. They do help whenever
        the work happens outside the interpreter: waiting on sockets, pipes or
        disks, and C code that releases the lock, as NumPy does in sorts and
        most array operations. For pure-Python CPU work use processes
        (multiprocessing, ProcessPoolExecutor): each has its own interpreter,
        so they scale up to the number of cores, at the cost of starting them
        and pickling what goes in and out.
    """,
    signal="""
        Knows which work holds the GIL and which does not, picks threads for
        waiting and processes for computing, and expects a process pool to
        cost start-up and pickling.
    """,
    trivia="partial",
    dataset="column",
    sizes=[6_000_000],
    reference={"cpu": "cpu_serial", "numpy": "sort_serial", "io": "io_serial"},
    # Six million numbers: enough pure-Python work (about half a second)
    # that a process pool's start-up (tens of ms) does not swallow what the
    # second core gives. At 3,000,000 processes measured 1.3x to 1.9x
    # faster than serial on a 2-core machine; at 6,000,000 1.6x to 1.8x.
    # Threads 1.0x to 1.4x slower than serial on the sums, sorts on threads
    # 1.6x to 1.9x faster, requests on threads 5x to 7x faster. On a loaded
    # machine the parallel figures shrink with the cores left free.
    claims=[
        pdlab.similar("cpu_threads", "cpu_serial", at=6_000_000, within=1.5),
        pdlab.faster("cpu_processes", than="cpu_serial", at=6_000_000, by=1.3),
        pdlab.faster("sort_threads", than="sort_serial", at=6_000_000, by=1.3),
        pdlab.faster("io_threads", than="io_serial", at=6_000_000, by=3),
    ],
)


@lesson.prepare(part="cpu")
def ranges(df, n):
    step = n // CHUNKS
    return [(i * step, (i + 1) * step) for i in range(CHUNKS)]


@lesson.prepare(part="numpy")
def quarters(df, n):
    return np.array_split(df["value"].to_numpy()[:SORTED], CHUNKS)


@lesson.prepare(part="io")
def server(df, n):
    return pdlab.slow_server(DELAY_S)


def crunch(bounds):
    """Pure-Python arithmetic: the interpreter is busy the whole time."""
    lo, hi = bounds
    total = 0
    for i in range(lo, hi):
        total += i * i % 7
    return total


def middle(chunk):
    return np.sort(chunk)[len(chunk) // 2]


def ask(address, i=0):
    with socket.create_connection(address) as s:
        s.sendall(f"{i}\n".encode())
        return int(s.makefile().readline())


@lesson.variant(kind="loop", part="cpu")
def cpu_serial(chunks):
    """The four chunks one after another."""
    return [crunch(c) for c in chunks]


@lesson.variant(kind="stdlib", part="cpu")
def cpu_threads(chunks):
    """ThreadPoolExecutor.map over the chunks, one thread per core."""
    with concurrent.futures.ThreadPoolExecutor(CORES) as pool:
        return list(pool.map(crunch, chunks))


@lesson.variant(kind="stdlib", part="cpu")
def cpu_processes(chunks):
    """ProcessPoolExecutor (forked) .map over the chunks, one process per core."""
    fork = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(CORES, mp_context=fork) as pool:
        return list(pool.map(crunch, chunks))


@lesson.variant(kind="numpy", part="numpy")
def sort_serial(quarters):
    """np.sort of each quarter, one after another."""
    return [middle(q) for q in quarters]


@lesson.variant(kind="numpy", part="numpy")
def sort_threads(quarters):
    """np.sort of the quarters on a thread pool: the sort runs without the GIL."""
    with concurrent.futures.ThreadPoolExecutor(CORES) as pool:
        return list(pool.map(middle, quarters))


@lesson.variant(kind="loop", part="io")
def io_serial(address):
    """Eight requests, each waiting for its answer before the next."""
    return [ask(address, i) for i in range(REQUESTS)]


@lesson.variant(kind="stdlib", part="io")
def io_threads(address):
    """Eight requests on eight threads: the waits overlap."""
    with concurrent.futures.ThreadPoolExecutor(REQUESTS) as pool:
        return list(pool.map(ask, [address] * REQUESTS, range(REQUESTS)))
