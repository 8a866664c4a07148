"""A lesson on your own data: README.md shows this file as the example of a
lesson written against an imported dataset, run with a column mapping
(tests/e2e/own_data.sh runs it)."""

from collections import defaultdict

import pdlab

lesson = pdlab.lesson(
    question="How much was spent in each city?",
    answer="Group by the city and sum the prices: one pass in compiled code.",
    signal="Reaches for groupby before writing a loop.",
    trivia="none",
    dataset="shop",                                     # pdlab dataset import shop.csv --name shop
    columns={"city": "text", "price": "number"},        # what the variants use
    sizes=[3, 1_000_000],
    reference="groupby_sum",
)


@lesson.variant(kind="loop")
def dict_loop(df):
    """A dict of running totals, one row at a time."""
    totals = defaultdict(float)
    for city, price in zip(df["city"], df["price"]):
        if city == city and price == price:             # skip missing values (NaN)
            totals[city] += price
    return [totals[c] for c in sorted(totals)]


@lesson.variant(kind="vectorized")
def groupby_sum(df):
    """df.groupby("city")["price"].sum(): one pass in compiled code."""
    return df.groupby("city", observed=True)["price"].sum().sort_index().tolist()
