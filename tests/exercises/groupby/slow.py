LESSON = "groupby"


def solve(df):
    totals = {}
    for row in df.itertuples(index=False):
        totals[row.item] = totals.get(row.item, 0.0) + row.amount
    return [totals[item] for item in sorted(totals)]
