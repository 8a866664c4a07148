"""Return the k largest of a stream.

Every variant returns the K largest purchase amounts of the events, largest
first, in one of two settings:
- list: the amounts arrive as a Python list of floats, a stream;
- column: they are already a pandas column backed by a NumPy array.
Sorting everything does O(n log n) comparisons to keep K values; a heap of
size K compares most elements with its root only, O(n log k) at worst;
np.partition selects in linear time in compiled code, but on a list it first
has to build the array, which costs more than nlargest's whole pass.
"""

import heapq

import numpy as np

import pdlab

K = 10

lesson = pdlab.lesson(
    question="Return the k largest of a stream.",
    answer="""
        Keep a min-heap of the k best seen so far and replace its root whenever
        a larger value arrives: O(n log k) time, O(k) memory, one pass, so it
        works on a stream that never fits in memory; heapq.nlargest does exactly
        that, with a tight loop and C heap operations. Sorting everything is O(n log n) and holds all n values. When
        the data is already an array, np.partition selects the top k in linear
        time without sorting the rest; sort just those k afterwards.
    """,
    signal="""
        The candidate picks the data structure from the shape of the problem
        (k much smaller than n, data arriving once) instead of sorting by reflex,
        knows the standard library has it, and knows when NumPy's selection
        beats both.
    """,
    trivia="partial",
    dataset="events",
    sizes=[10_000, 100_000, 1_000_000],
    reference={"list": "sort_slice", "column": "sort_values"},
    claims=[
        pdlab.faster("heap_loop", than="sort_slice", at=1_000_000, by=3),
        pdlab.faster("partition", than="sort_values", at=1_000_000, by=5),
        pdlab.faster("partition", than="series_nlargest", at=1_000_000, by=1.5),
    ],
)


# ---- list: the amounts as Python floats, one after another ------------------

@lesson.prepare(part="list")
def amount_list(df, n):
    return df["amount"].tolist()


@lesson.variant(kind="stdlib", part="list")
def sort_slice(stream):
    """sorted(stream, reverse=True)[:K]: sorts all n values to keep K."""
    return sorted(stream, reverse=True)[:K]


# The heap an interviewer hopes to see written out: push the first K, then
# only touch the heap when a value beats its smallest.
@lesson.variant(kind="loop", part="list")
def heap_loop(stream):
    """A K-element min-heap; heappushpop when a value beats its root."""
    heap = []
    for x in stream:
        if len(heap) < K:
            heapq.heappush(heap, x)
        elif x > heap[0]:
            heapq.heappushpop(heap, x)
    return sorted(heap, reverse=True)


@lesson.variant(kind="stdlib", part="list")
def nlargest(stream):
    """heapq.nlargest(K, stream): the same bounded heap, the stdlib's tight loop."""
    return heapq.nlargest(K, stream)


# The twist: on a list, NumPy's faster selection loses to nlargest, because
# building the array touches every element more slowly than the heap's pass.
@lesson.variant(kind="numpy", part="list")
def array_partition(stream):
    """np.array(stream) first, then np.partition and a sort of the last K."""
    a = np.array(stream)
    return np.sort(np.partition(a, len(a) - K)[-K:])[::-1]


# ---- column: the amounts already in an array ---------------------------------

@lesson.prepare(part="column")
def amount_column(df, n):
    return df["amount"]


@lesson.variant(kind="vectorized", part="column")
def sort_values(s):
    """s.sort_values(ascending=False).head(K): a full sort in compiled code."""
    return s.sort_values(ascending=False).head(K)


@lesson.variant(kind="vectorized", part="column")
def series_nlargest(s):
    """s.nlargest(K): pandas selects without sorting everything."""
    return s.nlargest(K)


@lesson.variant(kind="numpy", part="column")
def partition(s):
    """np.partition on the column's array for the top K, then sort only those K."""
    a = s.to_numpy()
    return np.sort(np.partition(a, len(a) - K)[-K:])[::-1]
