"""What are generators and why use them?

Every variant runs the same three-step pipeline over the events' purchase
amounts, a stream of Python floats: drop the small ones (under MIN), convert
to euros, take the platform's commission, and add it all up. The list version
materializes each step as a full list (new float objects included) before the
next step starts; the generator version passes one value at a time through
all three steps, so only the running total is ever held. NumPy does each step
over the whole array in compiled code: fast, with arrays of 8 bytes per value.
"""

import pdlab

MIN = 5.0              # amounts below this are test purchases (about 8%)
EUR_PER_USD = 0.92
COMMISSION = 0.03

lesson = pdlab.lesson(
    question="What are generators and why use them?",
    answer="""
        A generator, made by a function that uses yield or by a comprehension
        in parentheses, produces values one at a time and pauses in between,
        so nothing runs until a consumer asks for the next value. Chaining
        generators builds a pipeline that holds one item at a time instead of a
        full list per step: memory stays flat however long the stream, the time
        is about the same, and work stops early if the consumer does. The catch:
        a generator can be consumed only once.
    """,
    signal="""
        The candidate thinks about memory as well as time and can process data
        larger than RAM (files, queries, API pages) as a stream; they also know
        the limits: one pass only, and no real speed-up over a list.
    """,
    trivia="partial",
    dataset="events",
    sizes=[10_000, 100_000, 1_000_000],
    reference="generators",
    focus="memory",
    # The same work in about the same time, with one value in flight instead
    # of three full lists.
    claims=[
        pdlab.less_memory("generators", than="lists", at=1_000_000, by=10),
        pdlab.similar("generators", "lists", at=1_000_000, within=2),
    ],
)


@lesson.prepare
def amounts(df, n):
    # Iterating a Series hands out one Python float at a time, like a reader
    # would; unlike a generator it can be iterated again for the next call.
    return df["amount"]


# What a typical candidate writes: one readable list per step. Every list stays
# alive until the function returns.
@lesson.variant(kind="comprehension")
def lists(stream):
    """A list comprehension per step: three full lists before the sum."""
    kept = [a for a in stream if a >= MIN]
    euros = [a * EUR_PER_USD for a in kept]
    fees = [e * COMMISSION for e in euros]
    return sum(fees)


@lesson.variant(kind="streaming")
def generators(stream):
    """The same steps as generator expressions: one value in flight at a time."""
    kept = (a for a in stream if a >= MIN)
    euros = (a * EUR_PER_USD for a in kept)
    fees = (e * COMMISSION for e in euros)
    return sum(fees)


@lesson.variant(kind="numpy")
def arrays(stream):
    """The whole array at each step: a mask, a filtered copy, two products."""
    a = stream.to_numpy()
    kept = a[a >= MIN]
    return float((kept * EUR_PER_USD * COMMISSION).sum())
