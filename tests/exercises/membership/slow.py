LESSON = "membership"


def solve(df):
    buyers = []
    for user, kind in zip(df["user"], df["kind"]):
        if kind == "buy" and user not in buyers:
            buyers.append(user)
    return [user in buyers for user in df["user"]]
