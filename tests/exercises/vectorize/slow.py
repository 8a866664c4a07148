LESSON = "vectorize"
LATE = 4.0
DISCOUNT = 0.1


def solve(df):
    out = []
    for _, row in df.iterrows():
        revenue = row["price"] * row["qty"]
        if row["wait"] > LATE:
            revenue *= 1 - DISCOUNT
        out.append(revenue)
    return out
