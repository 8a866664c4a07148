"""The `pdlab` module that lesson files import: what a lesson author writes.

pdlab compiles this file into its binary and registers it as a built-in
module, so a lesson needs nothing installed but pdlab itself. A lesson file
declares one Lesson, decorates its variants and states its claims; the
harness (C, and the helpers in _harness.py) does the timing, the memory
accounting, the checking and the worker processes.
"""

TRIVIA_TAX = ("none", "partial", "yes")
# The styles a variant can be written in (lessons/README.md says what each
# means); a growth verdict compares like with like.
KINDS = ("loop", "apply", "comprehension", "vectorized", "numpy", "numexpr",
         "stdlib", "streaming")
FOCUS = ("time", "memory", "growth")
# What a column a lesson needs must hold: "number" is int or float, "text"
# is str or category, "any" anything.
COLUMN_TYPES = ("number", "int", "float", "bool", "datetime", "category", "str",
                "text", "any")
MAIN_PART = "main"


class LessonError(ValueError):
    """A lesson file declares something the harness cannot run."""


class Variant:
    """One way to answer the question: a function of the prepared input."""

    def __init__(self, name, fn, kind, part, max_n, mutates):
        self.name = name
        self.fn = fn
        self.kind = kind
        self.part = part
        self.max_n = max_n
        self.mutates = mutates
        doc = (fn.__doc__ or "").strip()
        self.doc = doc.splitlines()[0] if doc else ""


class Claim:
    """A fact the lesson exists to show, checked against what a run measured.
    Made by the functions below (faster, similar, growth, less_memory,
    memory_flat, memory_grows, wrong), never directly."""

    def __init__(self, kind, variant, *, other=None, n=0, n_from=0, factor=0.0,
                 lo=0.0, hi=0.0, warning=None):
        self.kind = kind
        self.variant = variant
        self.other = other
        self.n = int(n)
        self.n_from = int(n_from)
        self.factor = float(factor)
        self.lo = float(lo)
        self.hi = float(hi)
        self.warning = warning

    def sizes(self):
        return [n for n in (self.n_from, self.n) if n]

    def variants(self):
        return [v for v in (self.variant, self.other) if v]

    def __repr__(self):
        return f"pdlab.{self.kind}({self.variant!r}, ...)"


def faster(variant, *, than, at, by):
    """variant is at least `by` times faster than `than` at `at` rows."""
    return Claim("faster", variant, other=than, n=at, factor=_positive("by", by))


def similar(variant, other, *, at, within):
    """variant and other take the same time at `at` rows, within a factor."""
    return Claim("similar", variant, other=other, n=at, factor=_positive("within", within))


def growth(variant, *, exponent):
    """variant's time grows as n**e with e in the range `exponent` (lo, hi),
    fitted over every size it runs at: 1 is linear, 2 quadratic."""
    lo, hi = exponent
    if not lo < hi:
        raise LessonError(f"growth of {variant!r}: exponent range must be (low, high)")
    return Claim("growth", variant, lo=lo, hi=hi)


def less_memory(variant, *, than, at, by):
    """variant's peak memory is at least `by` times under `than`'s at `at`
    rows, each measured alone in a fresh process."""
    return Claim("less_memory", variant, other=than, n=at, factor=_positive("by", by))


def memory_flat(variant, *, from_n, to_n, within):
    """variant's peak memory at to_n is at most `within` times its peak at
    from_n: it does not grow with the data."""
    return Claim("memory_flat", variant, n=to_n, n_from=from_n,
                 factor=_positive("within", within))


def memory_grows(variant, *, from_n, to_n, by):
    """variant's peak memory at to_n is at least `by` times its peak at from_n."""
    return Claim("memory_grows", variant, n=to_n, n_from=from_n, factor=_positive("by", by))


def wrong(variant, *, at=0, warns=None):
    """variant gives a wrong answer (at `at` rows, or at every size it runs
    at), and its first call raises a warning of class `warns` when given."""
    return Claim("wrong", variant, n=at, warning=warns)


def _positive(name, x):
    if not x > 0:
        raise LessonError(f"{name} must be a positive number, got {x!r}")
    return x


class Lesson:
    """A question, its answer, and the variants that show the evidence."""

    def __init__(self, *, question, answer, signal, trivia, dataset, sizes,
                 reference, focus="time", csv=False, profile=None, claims=(),
                 columns=None):
        if trivia not in TRIVIA_TAX:
            raise LessonError(f"trivia must be one of {TRIVIA_TAX}, got {trivia!r}")
        if focus not in FOCUS:
            raise LessonError(f"focus must be one of {FOCUS}, got {focus!r}")
        if not sizes or any(int(n) <= 0 for n in sizes):
            raise LessonError("sizes must be a non-empty list of positive row counts")
        self.question = _text(question)
        self.answer = _text(answer)
        self.signal = _text(signal)
        self.trivia = trivia
        self.dataset = dataset
        self.sizes = sorted(int(n) for n in sizes)
        # One reference per part: a lesson with two exercises (normalize and
        # pairwise distances, say) names a reference for each.
        self.references = reference if isinstance(reference, dict) else {MAIN_PART: reference}
        # What the lesson's verdict sentence is about: speed, peak memory, or
        # how time grows with n.
        self.focus = focus
        # csv=True: before each size the harness exports the dataset to a CSV
        # file and sets csv_path, for lessons about reading files.
        self.csv = bool(csv)
        self.csv_path = None
        # A variant the harness runs once under a profiler, outside timing.
        self.profile = profile
        # The columns the variants use and what each must hold, e.g.
        # {"price": "number"}: a dataset without them (one you imported, say)
        # is refused before anything runs, naming them; `pdlab run --columns`
        # maps your columns onto these names.
        self.columns = dict(columns or {})
        self.columns_text = _columns_text(self.columns)
        self.variants = {}
        self.preparers = {}
        self.observer = None
        # What the run must show; checked against the measurements.
        self.claims = list(claims)
        if not all(isinstance(c, Claim) for c in self.claims):
            raise LessonError("claims must be made with pdlab.faster(...), pdlab.growth(...), ...")

    def variant(self, name=None, *, kind, part=MAIN_PART, max_n=None, mutates=False):
        """Decorator declaring a variant. `kind` says what style it is (loop,
        apply, vectorized, numpy, ...); `max_n` stops it above a size where it
        would only burn time; `mutates` gives it a fresh copy of the input on
        every call, made outside the timed region."""
        if kind not in KINDS:
            raise LessonError(f"kind must be one of {KINDS}, got {kind!r}")

        def register(fn):
            vname = name or fn.__name__
            if vname in self.variants:
                raise LessonError(f"variant {vname!r} declared twice")
            self.variants[vname] = Variant(vname, fn, kind, part, max_n, mutates)
            return fn
        return register

    def prepare(self, fn=None, *, part=MAIN_PART):
        """Decorator: turns the loaded DataFrame and size into a part's input,
        outside the timed region. Without one, variants get the DataFrame."""
        def register(f):
            if part in self.preparers:
                raise LessonError(f"part {part!r} has two prepare functions")
            self.preparers[part] = f
            return f
        return register(fn) if fn is not None else register

    def observe(self, fn):
        """Decorator: fn(result) returns a short text about a variant's result
        (the mean and spread a fill strategy leaves, say), shown beside it."""
        self.observer = fn
        return fn

    def check(self):
        """Raises LessonError when the declaration cannot be run."""
        if not self.variants:
            raise LessonError("the lesson declares no variants")
        parts = {v.part for v in self.variants.values()}
        for part in parts:
            ref = self.references.get(part)
            if ref is None:
                raise LessonError(f"part {part!r} has no reference variant")
            if ref not in self.variants or self.variants[ref].part != part:
                raise LessonError(f"reference {ref!r} of part {part!r} is not one of its variants")
            if self.variants[ref].max_n is not None:
                raise LessonError(f"reference {ref!r} must run at every size (no max_n)")
        if self.profile is not None and self.profile not in self.variants:
            raise LessonError(f"profile names {self.profile!r}, which is not a variant")
        for claim in self.claims:
            self._check_claim(claim)

    def _check_claim(self, claim):
        for name in claim.variants():
            if name not in self.variants:
                raise LessonError(f"{claim!r} names {name!r}, which is not a variant")
        for n in claim.sizes():
            if n not in self.sizes:
                raise LessonError(f"{claim!r} speaks at n = {n:,}, which is not one of "
                                  f"the lesson's sizes {self.sizes}")
            for name in claim.variants():
                max_n = self.variants[name].max_n
                if max_n is not None and n > max_n:
                    raise LessonError(f"{claim!r} needs {name!r} at n = {n:,}, above its "
                                      f"max_n of {max_n:,}: a claimed figure is measured, "
                                      f"never extrapolated")
        if claim.other and self.variants[claim.other].part != self.variants[claim.variant].part:
            raise LessonError(f"{claim!r} compares variants of different parts")

    def input_for(self, part, frame, n):
        prep = self.preparers.get(part)
        return frame if prep is None else prep(frame, n)


def lesson(**declaration):
    """Declares the lesson of this file; see Lesson for the fields."""
    return Lesson(**declaration)


def _columns_text(columns):
    """{"price": "number"} as "price=number", the form the harness reads."""
    for name, kind in columns.items():
        if kind not in COLUMN_TYPES:
            raise LessonError(f"column {name!r}: type must be one of {COLUMN_TYPES}, got {kind!r}")
        if not name or "," in name or "=" in name:
            raise LessonError(f"column {name!r}: a name a lesson needs cannot be empty "
                              f"or hold ',' or '='")
    return ",".join(f"{name}={kind}" for name, kind in columns.items())


def _text(s):
    return " ".join(str(s).split())


