"""Can a string be rearranged into a palindrome?

A string can be when at most one letter occurs an odd number of times (the
middle one). Every variant answers it for each person's name, letters only,
case ignored ("Ana Otto": a, n, a, o, t, t, o: only n is odd, so yes), and
returns one bool per name. The Python variants differ only in how they count:
Counter, a dict by hand, or a set of the letters seen an odd number of times.
The bit mask keeps the same parity in one int, a bit per letter flipped by
XOR. On names of a dozen letters Counter's
fixed set-up costs about as much as the counting, so the dict by hand comes
out up to twice as fast; on long strings Counter's C counting loop wins.
"""

from collections import Counter


import pdlab

lesson = pdlab.lesson(
    question="Can a string be rearranged into a palindrome?",
    answer="""
        Yes exactly when at most one character occurs an odd number of times,
        so count the characters and check the parities:
        sum(c % 2 for c in Counter(s).values()) <= 1. That is O(n) time and
        O(alphabet) memory, with no sorting or permutations. A set that adds a
        character when it is absent and removes it when present ends up holding
        exactly the odd ones, which is the same idea without the counts.
    """,
    signal="""
        The candidate reduces the question to a property that is cheap to test
        (counts and parity) instead of generating permutations, and reaches for
        collections.Counter rather than rebuilding it; the speed is within a
        factor of two either way, so the real signal is knowing the standard
        library.
    """,
    trivia="partial",
    dataset="people",
    # The hand-written loops stop at 10,000 names: their growth is linear, so
    # 100,000 is extrapolated; Counter, the reference, runs everywhere.
    sizes=[1_000, 10_000, 100_000],
    reference="counter",
    # Close in speed: the point is knowing the standard library. Counter's
    # counting loop is in C, so it comes out 1.5x to 2.7x faster than the
    # dict loop on a 2-core machine: never slower, never a different league.
    claims=[
        pdlab.similar("counter", "dict_count", at=10_000, within=3),
    ],
)


@lesson.prepare
def names(df, n):
    return df["name"]


def letters(name):
    return [c for c in name.lower() if c.isalpha()]


@lesson.variant(kind="stdlib")
def counter(names):
    """Counter(letters): at most one odd count."""
    return [sum(c % 2 for c in Counter(letters(s)).values()) <= 1 for s in names]


@lesson.variant(kind="loop", max_n=10_000)
def dict_count(names):
    """The same counts in a dict built by hand, one get() per letter."""
    out = []
    for s in names:
        counts = {}
        for ch in letters(s):
            counts[ch] = counts.get(ch, 0) + 1
        odd = 0
        for c in counts.values():
            odd += c % 2
        out.append(odd <= 1)
    return out


@lesson.variant(kind="loop", max_n=10_000)
def set_toggle(names):
    """A set toggled per letter: what is left are the odd letters."""
    out = []
    for s in names:
        odd = set()
        for ch in letters(s):
            if ch in odd:
                odd.remove(ch)
            else:
                odd.add(ch)
        out.append(len(odd) <= 1)
    return out


# The follow-up answer for O(1) space: one bit per letter in an int, flipped
# with XOR; a power of two (or zero) means at most one odd letter.
@lesson.variant(kind="loop", max_n=10_000)
def bitmask(names):
    """An int with a bit per letter, flipped by XOR; at most one bit left set."""
    out = []
    for s in names:
        mask = 0
        for ch in letters(s):
            mask ^= 1 << (ord(ch) - ord("a"))
        out.append(mask & (mask - 1) == 0)
    return out
