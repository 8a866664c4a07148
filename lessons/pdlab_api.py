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
         "stdlib", "streaming", "compiled")
FOCUS = ("time", "memory", "growth")
# A learner doing a lesson as an exercise gets at most this many nudges.
MAX_HINTS = 3
# What a column a lesson needs must hold: "number" is int or float, "text"
# is str or category, "any" anything.
COLUMN_TYPES = ("number", "int", "float", "bool", "datetime", "category", "str",
                "text", "any")
MAIN_PART = "main"


class LessonError(ValueError):
    """A lesson file declares something the harness cannot run."""


class Variant:
    """One way to answer the question: a function of the prepared input."""

    def __init__(self, name, fn, kind, part, max_n, mutates, lasting=False):
        self.name = name
        self.fn = fn
        self.kind = kind
        self.part = part
        self.max_n = max_n
        self.mutates = mutates
        self.lasting = lasting
        doc = (fn.__doc__ or "").strip()
        self.doc = doc.splitlines()[0] if doc else ""


class Claim:
    """A fact the lesson exists to show, checked against what a run measured.
    Made by the functions below (faster, similar, growth, less_memory,
    memory_flat, memory_grows, wrong, fails), never directly."""

    def __init__(self, kind, variant, *, other=None, n=0, n_from=0, factor=0.0,
                 lo=0.0, hi=0.0, warning=None, statistic=None):
        self.kind = kind
        self.variant = variant
        self.other = other
        self.n = int(n)
        self.n_from = int(n_from)
        self.factor = float(factor)
        self.lo = float(lo)
        self.hi = float(hi)
        self.warning = warning
        # statistic, statistic_ratio: the name of the lesson's statistic.
        self.statistic = statistic

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


def fails(variant, *, at, raises):
    """variant fails at `at` rows, raising an exception of the class named
    `raises` ("RecursionError"): the lab reports it failed, not slow."""
    if not (isinstance(raises, str) and raises):
        raise LessonError(f"fails({variant!r}): raises must name an exception class")
    return Claim("fails", variant, n=at, warning=raises)


def wrong(variant, *, at=0, warns=None):
    """variant gives a wrong answer (at `at` rows, or at every size it runs
    at), and its first call raises a warning of class `warns` when given."""
    return Claim("wrong", variant, n=at, warning=warns)


def fails(variant, *, at, raises=None):
    """variant stops at `at` rows with an exception instead of a result
    (a MemoryError under the lesson's memory limit, say); `raises` is text
    the exception must hold, such as "MemoryError"."""
    return Claim("fails", variant, n=at, warning=raises)


def scheduler():
    """The address of the dask.distributed scheduler `pdlab run --scheduler`
    named (tcp://HOST:PORT), or None: a lesson then starts its own cluster."""
    import os
    return os.environ.get("PDLAB_SCHEDULER") or None


def _positive(name, x):
    if not x > 0:
        raise LessonError(f"{name} must be a positive number, got {x!r}")
    return x


class Lesson:
    """A question, its answer, and the variants that show the evidence."""

    def __init__(self, *, question, answer, signal, trivia, dataset, sizes,
                 reference, focus="time", csv=False, profile=None, claims=(),
                 cases=None, statistics=None, curves=(), tolerance=None, mem_limit=None,
                 hints=(), columns=None, csv_only=False):
        if trivia not in TRIVIA_TAX:
            raise LessonError(f"trivia must be one of {TRIVIA_TAX}, got {trivia!r}")
        if focus not in FOCUS:
            raise LessonError(f"focus must be one of {FOCUS}, got {focus!r}")
        if not sizes or not all(_is_count(n) for n in sizes) or len(set(sizes)) != len(sizes):
            raise LessonError(f"sizes must be a non-empty list of distinct positive whole row "
                              f"counts, got {sizes!r}")
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
        self.csv = bool(csv) or bool(csv_only)
        self.csv_path = None
        # csv_only=True: the variants read only that file, so the worker does
        # not load the dataset as a DataFrame (the preparer gets None): what
        # the workers hold is then the variants' doing, not the harness's.
        self.csv_only = bool(csv_only)
        # MiB of address space this lesson's workers get, when lower than the
        # run's --mem-limit: a lesson about running out of memory sets a
        # limit its data can exceed at modest sizes.
        if mem_limit is not None and not int(mem_limit) > 0:
            raise LessonError(f"mem_limit must be a positive number of MiB, got {mem_limit!r}")
        self.mem_limit = None if mem_limit is None else int(mem_limit)
        self.teardowns = []
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
        # Edge cases every variant must get right: name -> a function of no
        # arguments that makes a small input (a graph with a cycle, say).
        self.cases = dict(cases or {})
        if not all(callable(f) for f in self.cases.values()):
            raise LessonError("cases must map names to functions that make an input")
        _declare_figures(self, statistics, curves, tolerance)
        # For the exercise: gentle first, the last one all but the answer.
        self.hints = [_text(h) for h in hints]
        if len(self.hints) > MAX_HINTS or not all(self.hints):
            raise LessonError(f"hints: up to {MAX_HINTS} non-empty strings, gentle first")

    def variant(self, name=None, *, kind, part=MAIN_PART, max_n=None, mutates=False,
                lasting=False):
        """Decorator declaring a variant. `kind` says what style it is (loop,
        apply, vectorized, numpy, ...); `max_n` stops it above a size where it
        would only burn time; `mutates` gives it a fresh copy of the input on
        every call, made outside the timed region. `lasting`: what its first
        call starts (a scheduler's thread pool, a cluster) is meant to serve
        its later calls and is stopped by the lesson's teardown; only what
        later calls leave on top of it counts as left running."""
        if kind not in KINDS:
            raise LessonError(f"kind must be one of {KINDS}, got {kind!r}")

        def register(fn):
            vname = name or fn.__name__
            if vname in self.variants:
                raise LessonError(f"variant {vname!r} declared twice")
            if lasting and not self.teardowns:
                raise LessonError(f"variant {vname!r} is lasting: declare the @lesson.teardown "
                                  f"that stops what it keeps running, before the variant")
            self.variants[vname] = Variant(vname, fn, kind, part, max_n, mutates, lasting)
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

    def teardown(self, fn):
        """Decorator: fn() runs when a worker is done with the lesson, to
        stop what its variants started (a cluster, a server), also after a
        variant failed."""
        self.teardowns.append(fn)
        return fn

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
        if self.csv_only and set(self.preparers) != parts:
            raise LessonError("csv_only=True loads no DataFrame: each part needs a "
                              "@lesson.prepare that hands its variants lesson.csv_path")
        if self.profile is not None and self.profile not in self.variants:
            raise LessonError(f"profile names {self.profile!r}, which is not a variant")
        for claim in self.claims:
            self._check_claim(claim)
        _check_figures(self)

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
        if (claim.other and claim.kind != "statistic_ratio" and
                self.variants[claim.other].part != self.variants[claim.variant].part):
            raise LessonError(f"{claim!r} compares variants of different parts")

    def input_for(self, part, frame, n):
        prep = self.preparers.get(part)
        return frame if prep is None else prep(frame, n)


def lesson(**declaration):
    """Declares the lesson of this file; see Lesson for the fields."""
    return Lesson(**declaration)


def _is_count(n):
    return isinstance(n, int) and not isinstance(n, bool) and n > 0


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




# ---- A local server for lessons about waiting ------------------------------

_SERVER = r"""
import asyncio, sys

async def answer(reader, writer):
    while line := await reader.readline():
        await asyncio.sleep(DELAY)
        writer.write(line)
        await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    # Serve until the worker that started this process closes the pipe.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""

_servers = {}


def slow_server(delay_s):
    """(host, port) of a local TCP server that answers each line sent to it
    with the same line, delay_s seconds later, on any number of connections
    at once: a real wait on a real socket, for lessons about I/O. The server
    is a child process of the worker, started once per delay; it ends when
    the worker does (it serves until its stdin, a pipe from the worker,
    closes). Call it from prepare, so that it runs before any variant."""
    import subprocess
    import sys

    if delay_s not in _servers:
        proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER.replace("DELAY", repr(float(delay_s)))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        port = int(proc.stdout.readline())
        _servers[delay_s] = proc, ("127.0.0.1", port)
    return _servers[delay_s][1]
# ---- Figures that are not times: statistics, curves, a tolerance ----------
#
# Some questions are answered by a number the result holds (a false-positive
# rate), a curve (precision against the threshold) or an estimate that is
# only close to the exact answer (gradient descent). lessons/README.md,
# "Statistics, curves and answer groups", says how a lesson declares them.

class Proportion:
    """hits out of trials: a statistic with a Wilson interval."""

    def __init__(self, hits, trials):
        self.hits = int(hits)
        self.trials = int(trials)
        if not 0 <= self.hits <= self.trials or self.trials == 0:
            raise LessonError(f"a proportion needs 0 <= hits <= trials and trials > 0, "
                              f"got {hits!r} of {trials!r}")


def proportion(hits, trials):
    """What a statistic function returns for a rate: the harness gives it a
    95% Wilson interval, and claims about it are decided on the interval."""
    return Proportion(hits, trials)


class Curve:
    """A chart a lesson wants drawn from the results of some variants at
    one size: `series(result)` gives {label: (xs, ys)}, `marks(result)`
    points to mark, [(x, y, label), ...]."""

    def __init__(self, title, *, x, y, at, variants, series, marks=None,
                 logx=False, logy=False):
        self.title = _text(title)
        self.x = _text(x)
        self.y = _text(y)
        self.n = int(at)
        self.variants = list(variants)
        self.series = series
        self.marks = marks
        self.logx = bool(logx)
        self.logy = bool(logy)


def curve(title, *, x, y, at, variants, series, marks=None, logx=False, logy=False):
    """Declares a chart of curves; see Curve."""
    return Curve(title, x=x, y=y, at=at, variants=variants, series=series,
                 marks=marks, logx=logx, logy=logy)


def statistic(variant, name, *, at, between):
    """The lesson's statistic `name` of variant's result at `at` lies in
    (lo, hi); for a proportion, its whole 95% interval does."""
    lo, hi = between
    if not lo < hi:
        raise LessonError(f"statistic {name!r} of {variant!r}: between must be (low, high)")
    return Claim("statistic", variant, n=at, lo=lo, hi=hi, statistic=name)


def statistic_ratio(variant, name, *, than, at, at_least):
    """variant's statistic `name` is at least `at_least` times than's, at
    `at`; for proportions, the low end of the ratio's interval is. The two
    may answer different questions (parts)."""
    return Claim("statistic_ratio", variant, other=than, n=at,
                 factor=_positive("at_least", at_least), statistic=name)


def _declare_figures(lesson, statistics, curves, tolerance):
    lesson.statistics = dict(statistics or {})
    if not all(callable(f) for f in lesson.statistics.values()):
        raise LessonError("statistics must map names to functions of a variant's result")
    lesson.curves = list(curves)
    if not all(isinstance(c, Curve) for c in lesson.curves):
        raise LessonError("curves must be made with pdlab.curve(...)")
    # Results that are estimates (an iterative fit) match the reference
    # within this relative tolerance instead of the default 1e-7.
    lesson.tolerance = 1e-7 if tolerance is None else _positive("tolerance", tolerance)


def _check_figures(lesson):
    for claim in lesson.claims:
        if claim.statistic is not None and claim.statistic not in lesson.statistics:
            raise LessonError(f"{claim!r} names the statistic {claim.statistic!r}, which "
                              f"the lesson does not declare in statistics={{...}}")
    for c in lesson.curves:
        if c.n not in lesson.sizes:
            raise LessonError(f"curve {c.title!r} is drawn at n = {c.n:,}, which is not "
                              f"one of the lesson's sizes {lesson.sizes}")
        for name in c.variants:
            v = lesson.variants.get(name)
            if v is None:
                raise LessonError(f"curve {c.title!r} names {name!r}, which is not a variant")
            if v.max_n is not None and c.n > v.max_n:
                raise LessonError(f"curve {c.title!r} needs {name!r} at n = {c.n:,}, "
                                  f"above its max_n")
