"""A test lesson for the report's code blocks: its variants' source holds
markup, which the report must show as text, never as markup."""

import pdlab

lesson = pdlab.lesson(
    question="Does the report show <b>code</b> as text?",
    answer="Every byte of a variant's source is escaped.",
    signal="Tests the report.",
    trivia="none",
    dataset="column",
    sizes=[1_000, 2_000],
    reference="total",
)


@lesson.variant(kind="loop")
def loop(df):
    """A loop whose source says </pre><script>."""
    # </pre><script>document.title = 'escaped?'</script> & so on
    s = 0.0
    for x in df["value"].tolist():
        s += x if x < 1e300 else 0.0  # a < and a > 0x1F
    return s


@lesson.variant(kind="vectorized")
def total(df):
    '''The column's sum: "one call".'''
    return float(df["value"].sum())
