LESSON = "vectorize"


def solve(df):
    # Forgets the discount on late orders.
    return df["price"] * df["qty"]
