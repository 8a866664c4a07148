import pdlab

lesson = pdlab.lesson(
    question="What is wrong with def add_item(item, items=[])?",
    answer="""
        The default list is made once, when the def runs, not on every call:
        every call that leaves items out appends to that same list, so one
        shopping session's cart carries the last session's items. Default to
        None and make a new list inside (if items is None: items = []), or
        have the caller pass one. The fixes cost nothing measurable.
    """,
    signal="""
        Knows when Python evaluates a default, and reads shared mutable state
        as a bug waiting to happen rather than a style point.
    """,
    trivia="partial",
    dataset="events",
    sizes=[10_000, 100_000],
    reference="none_default",
    claims=[
        # The harness calls each variant many times: the shared default's
        # cart grows from one call to the next, so a later result differs.
        pdlab.wrong("mutable_default"),
        pdlab.similar("none_default", "fresh_list", at=100_000, within=1.3),
    ],
)


@lesson.prepare
def session(df, n):
    """The items one shopper puts in a cart, in order."""
    return df["item"].tolist()


def add_item_shared(item, items=[]):
    items.append(item)
    return items


def add_item(item, items=None):
    if items is None:
        items = []
    items.append(item)
    return items


@lesson.variant(kind="loop")
def mutable_default(session):
    """cart = add_item(first) with items=[] as the default, then add the rest."""
    cart = add_item_shared(session[0])
    for item in session[1:]:
        add_item_shared(item, cart)
    return cart


@lesson.variant(kind="loop")
def none_default(session):
    """The same with items=None and a new list made inside."""
    cart = add_item(session[0])
    for item in session[1:]:
        add_item(item, cart)
    return cart


@lesson.variant(kind="loop")
def fresh_list(session):
    """The caller passes a new list itself: add_item(first, [])."""
    cart = add_item(session[0], [])
    for item in session[1:]:
        add_item(item, cart)
    return cart
