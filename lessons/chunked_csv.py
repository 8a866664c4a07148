"""How do you read a large file that does not fit in memory?

The harness writes the events table to a CSV file before each size (one line
per event: ts, user, item, amount, kind); every variant reads that file and
returns the mean amount per kind (buy, click, view). Reading it whole holds
every column of every row at once, and the parser's buffers besides, so peak
memory grows with the file. Reading it in chunks and carrying only running
sums and counts keeps peak memory at one chunk's worth, whatever the file's
size; so does the csv module, one line at a time, at the price of Python
speed. usecols and dtype shrink the full read to the two columns needed.
"""

import csv

import pandas as pd

import pdlab

# Rows per chunk. Peak memory follows the chunk (about 8 MB at 20,000 rows of
# these five columns); much smaller chunks start to cost time per chunk.
CHUNK = 20_000

lesson = pdlab.lesson(
    question="How do you read a large file that does not fit in memory?",
    answer="""
        Stream it: pd.read_csv(path, chunksize=...) yields DataFrames of a
        fixed number of rows, so you aggregate each chunk and combine the
        partial results (sums and counts, not means), and peak memory is one
        chunk's, not the file's, at about the same speed. Read only what you
        need as well: usecols and compact dtypes (category for repeated labels)
        cut a full read's memory several times over; and when even that is too
        big, a columnar format (Parquet) or a database does the filtering.
    """,
    signal="""
        The candidate thinks about memory as a budget, knows that pandas holds
        the whole frame in RAM, and can restructure a computation so it
        combines partial results, the way larger-than-memory tools do.
    """,
    trivia="partial",
    dataset="events",
    # Up to 1,000,000 rows (about 44 MB of CSV): the full read's peak grows
    # with the file from 100,000 rows while the chunked read's stays at a
    # chunk's worth, plain enough without a 5,000,000-row file's minute of
    # run time.
    sizes=[100_000, 300_000, 1_000_000],
    reference="full_read",
    focus="memory",
    csv=True,
    # Peak memory, each variant alone in a fresh process: the full read grows
    # with the file, the chunked read stays at a chunk's worth; times close.
    hints=[
        "The whole file never needs to be in memory at once: only a running total.",
        "pd.read_csv(path, chunksize=...) hands you the file a block of rows at a time.",
        "Per chunk, groupby('kind')['amount'].agg(['sum', 'count']); add the chunks' "
        "sums and counts, and divide at the end.",
    ],
    claims=[
        pdlab.memory_grows("full_read", from_n=100_000, to_n=1_000_000, by=3),
        pdlab.memory_flat("chunked", from_n=100_000, to_n=1_000_000, within=1.5),
        pdlab.less_memory("chunked", than="full_read", at=1_000_000, by=5),
        # The chunked read measured 1.3x to 1.5x the full read's time at
        # 2,000,000 rows (its per-chunk groupby): the same league, not free.
        pdlab.similar("chunked", "full_read", at=1_000_000, within=2),
    ],
)


@lesson.prepare
def csv_file(df, n):
    return lesson.csv_path


@lesson.variant(kind="vectorized")
def full_read(path):
    """pd.read_csv(path), then groupby('kind').amount.mean(): the whole file in memory."""
    events = pd.read_csv(path)
    return events.groupby("kind")["amount"].mean()


@lesson.variant(kind="streaming")
def chunked(path):
    """read_csv(chunksize=20,000): sum and count per kind, chunk by chunk."""
    totals = None
    for chunk in pd.read_csv(path, chunksize=CHUNK):
        part = chunk.groupby("kind")["amount"].agg(["sum", "count"])
        totals = part if totals is None else totals.add(part, fill_value=0)
    return totals["sum"] / totals["count"]


@lesson.variant(kind="stdlib", max_n=100_000)
def csv_module(path):
    """csv.reader, one line at a time, running sums and counts in dicts."""
    sums, counts = {}, {}
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        at_kind, at_amount = header.index("kind"), header.index("amount")
        for row in rows:
            kind = row[at_kind]
            sums[kind] = sums.get(kind, 0.0) + float(row[at_amount])
            counts[kind] = counts.get(kind, 0) + 1
    return pd.Series({kind: sums[kind] / counts[kind] for kind in sorted(sums)})


@lesson.variant(kind="vectorized")
def usecols_dtype(path):
    """read_csv(usecols=['kind', 'amount'], dtype: category, float64): two columns only."""
    events = pd.read_csv(path, usecols=["kind", "amount"],
                         dtype={"kind": "category", "amount": "float64"})
    return events.groupby("kind")["amount"].mean()
