import copy

import pdlab

lesson = pdlab.lesson(
    question="Shallow copy versus deep copy: what is the difference, and what does it cost?",
    answer="""
        copy.copy makes a new outer container holding the same inner objects,
        so changing a nested list through the copy changes the original too.
        copy.deepcopy copies everything reachable, but it is generic: it walks
        every object, checks its memo for cycles and dispatches on each type,
        which makes it many times slower than copying exactly the level you
        are about to change, for example each order's dict and its list of
        prices.
    """,
    signal="""
        Knows that assignment and shallow copies share objects, and copies
        deliberately: as deep as the change, no deeper.
    """,
    trivia="partial",
    dataset="events",
    sizes=[3_000, 30_000],
    reference="targeted_copy",
    claims=[
        # Its change reaches the caller's orders: the harness's fingerprint
        # of the input catches it.
        pdlab.wrong("shallow_copy"),
        # Measured 5.6x (2.8x-14x) on a busy 2-core machine.
        pdlab.faster("targeted_copy", than="deep_copy", at=30_000, by=3),
    ],
)


@lesson.prepare
def orders(df, n):
    """Orders as plain dicts, each with a nested list of prices."""
    users = df["user"].tolist()
    amounts = df["amount"].round(2).tolist()
    return [{"user": u, "prices": [a, a / 2]} for u, a in zip(users, amounts)]


def add_free_shipping(orders):
    """The change each variant makes to its copy: a 0.0 shipping line on
    every order's nested list of prices."""
    for order in orders:
        order["prices"].append(0.0)
    return orders


@lesson.variant(kind="stdlib")
def shallow_copy(orders):
    """copy.copy(orders), then the change through the copy's nested lists."""
    return add_free_shipping(copy.copy(orders))


@lesson.variant(kind="stdlib")
def deep_copy(orders):
    """copy.deepcopy(orders), then the change."""
    return add_free_shipping(copy.deepcopy(orders))


@lesson.variant(kind="comprehension")
def targeted_copy(orders):
    """Copies the levels the change touches: each dict and its prices."""
    return add_free_shipping([{**o, "prices": list(o["prices"])} for o in orders])
