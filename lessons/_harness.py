"""Harness internals: what pdlab's C code calls in a worker process.

Registered as the built-in module `_pdlab_harness`, apart from the `pdlab`
module lessons import, so a lesson author sees only the lesson API. Here is
what is easiest to say in Python: finding the lesson in a file, copying an
input, fingerprinting it, comparing two results, recording warnings,
profiling, the Python-heap peak.
"""

import copy as _copy
import tracemalloc as _tracemalloc
import warnings as _warnings

from pdlab import Lesson, LessonError, _text

def find_lesson(namespace):
    """The single Lesson a lesson file's namespace holds."""
    found = [v for v in namespace.values() if isinstance(v, Lesson)]
    if len(found) != 1:
        raise LessonError(f"a lesson file must declare exactly one pdlab.lesson(...), found {len(found)}")
    found[0].check()
    return found[0]


def worker_setup():
    """Called once in each worker process before any lesson code runs."""
    import faulthandler
    # A crash in an extension then leaves a Python traceback in the log.
    faulthandler.enable()
    # Warnings are recorded on a variant's first call; repeated in the timed
    # calls they would only add printing to the measurement.
    _warnings.simplefilter("ignore")


def worker_teardown(lesson):
    """Runs the lesson's teardown functions, last declared first; every one
    runs even when another raises. Returns the errors as text, or None."""
    errors = []
    for fn in reversed(lesson.teardowns):
        try:
            fn()
        except Exception as exc:  # reported by the worker, never hidden
            errors.append(f"teardown {fn.__name__}: {type(exc).__name__}: {exc}")
    return "\n".join(errors) or None


def fingerprint(obj):
    """A value that changes when obj's contents change: the harness checks
    that a variant left its shared input as it found it, after every
    variant, so on a million rows this runs often. Bulk data is read as raw
    bytes (a CRC-32 and an Adler-32 of each buffer, about 3 GB/s here), never
    row by row: pandas' own row hash took 0.2 s for a million-row frame, and
    the checks a sixth of the time of the lessons with large inputs."""
    import os

    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return ("frame", tuple(obj.columns), _index_print(obj.index),
                tuple(_series_values_print(obj.iloc[:, i]) for i in range(obj.shape[1])))
    if isinstance(obj, pd.Series):
        return ("series", obj.name, _index_print(obj.index), _series_values_print(obj))
    if isinstance(obj, pd.Index):
        return ("index", _index_print(obj))
    if isinstance(obj, np.ndarray):
        return _array_print(obj)
    if isinstance(obj, str) and os.path.isfile(obj):
        st = os.stat(obj)
        return st.st_size, st.st_mtime_ns
    # Containers of frames (a dict of representations, say) are printed item
    # by item: pickling whole frames would cost more than the variants.
    if isinstance(obj, dict):
        return tuple((k, fingerprint(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)) and any(
            issubclass(t, (pd.DataFrame, pd.Series, np.ndarray)) for t in set(map(type, obj))):
        return tuple(fingerprint(v) for v in obj)
    return _bytes_print(_pickle_dumps(obj))


# Cells of these types cannot change in place: a cell that holds one changes
# only by being replaced, which a hash of the cells' values sees.
_IMMUTABLE_CELLS = frozenset({str, int, float, bool, bytes, complex, type(None)})


def _pickle_dumps(obj):
    import pickle

    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _bytes_print(buffer):
    """Two 32-bit checksums of a contiguous buffer: a change that keeps both
    is far rarer than one that keeps either."""
    import zlib

    return zlib.crc32(buffer), zlib.adler32(buffer)


def _array_print(a):
    import numpy as np

    if a.dtype == object:
        cells = a.ravel()
        types = set(map(type, cells))
        if types <= _IMMUTABLE_CELLS:  # strings, mostly: 4x faster than pickling
            return ("cells", a.shape, tuple(sorted(t.__name__ for t in types)),
                    hash(tuple(cells)))
        # Lists or dicts in cells can change in place: pickled, by value.
        return ("objects", a.shape, _bytes_print(_pickle_dumps(a)))
    raw = np.ascontiguousarray(a).view(np.uint8)
    return (str(a.dtype), a.shape, _bytes_print(raw))


def _series_values_print(s):
    """The values of a Series or a frame's column, with their dtype."""
    import numpy as np
    import pandas as pd

    if isinstance(s.dtype, np.dtype):
        return _array_print(s.to_numpy())
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        return (str(s.dtype), s.cat.ordered, _array_print(s.cat.codes.to_numpy()),
                _index_print(cats))
    # Nullable integers, strings, periods...: pandas' hash, by value.
    return (str(s.dtype), int(pd.util.hash_pandas_object(s, index=False).sum()))


def _index_print(index):
    import numpy as np
    import pandas as pd

    if isinstance(index, pd.RangeIndex):
        return ("range", index.start, index.stop, index.step, index.name)
    if isinstance(index, pd.MultiIndex) or not isinstance(index.dtype, np.dtype):
        return (tuple(index.names), int(pd.util.hash_pandas_object(index).sum()))
    return (index.name, _array_print(index.to_numpy()))


def fresh(obj):
    """A deep copy a mutating variant may change without touching the
    original: containers are copied all the way down (a frame inside a dict
    is a new frame), frames and arrays with their own fast copy."""
    if isinstance(obj, dict):
        return {k: fresh(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        items = [fresh(v) for v in obj]
        return items if isinstance(obj, list) else type(obj)(items)
    if hasattr(obj, "copy"):
        try:
            return obj.copy(deep=True)
        except TypeError:
            return obj.copy()
    return _copy.deepcopy(obj)


def detached(result):
    """The reference's result as it is kept for checking the others: a copy
    that shares no memory with the input. df["y"] is a view of the frame, and
    a later variant that changes the frame without saying so would otherwise
    change the answer every variant after it is checked against."""
    return fresh(result)


def first_call(fn, arg):
    """Calls fn(arg) recording every warning it raises, even ones Python
    would show only once. Returns (result, ["Category: message", ...])."""
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        result = fn(arg)
    return result, [f"{w.category.__name__}: {_text(w.message)}" for w in caught]


def observe(lesson, result):
    """The lesson's observation of a result, or None."""
    if lesson.observer is None:
        return None
    return _text(lesson.observer(result))


def profile(fn, arg, top=6):
    """Runs fn(arg) once under a line tracer and cProfile. Returns text: the
    lines of fn that took the most time, then the functions that did."""
    import cProfile
    import linecache
    import pstats
    import sys
    import time

    code = fn.__code__
    spent = {}
    last = [None, 0.0]

    def tracer(frame, event, arg_):
        if frame.f_code is not code:
            return None
        if event in ("line", "return"):
            now = time.perf_counter()
            if last[0] is not None:
                spent[last[0]] = spent.get(last[0], 0.0) + now - last[1]
            last[0] = frame.f_lineno if event == "line" else None
            last[1] = now
        return tracer

    sys.settrace(tracer)
    try:
        fn(arg)
    finally:
        sys.settrace(None)
    total = sum(spent.values()) or 1.0
    out = [f"lines of {fn.__name__} by share of its time:"]
    for line, secs in sorted(spent.items(), key=lambda kv: -kv[1])[:top]:
        src = linecache.getline(code.co_filename, line).strip()
        out.append(f"  {100 * secs / total:5.1f}%  line {line}: {src}")
    prof = cProfile.Profile()
    prof.runcall(fn, arg)
    stats = pstats.Stats(prof).stats
    out.append("functions by own time (cProfile):")
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, func), (_, calls, own, cum, _) in rows:
        where = "built-in" if filename == "~" else f"{filename.rsplit('/', 1)[-1]}:{line}"
        out.append(f"  {own:9.4f} s own  {cum:9.4f} s total  {calls:>9,} calls  {func} ({where})")
    return "\n".join(out)


def python_peak(fn, arg):
    """Peak bytes Python allocated during one call of fn(arg)."""
    _tracemalloc.start()
    try:
        _tracemalloc.reset_peak()
        fn(arg)
        return _tracemalloc.get_traced_memory()[1]
    finally:
        _tracemalloc.stop()


def same(result, reference, rtol=1e-7, atol=1e-12):
    """(True, "") when result matches reference, else (False, why).

    Values are compared, not containers: a list, a Series and an ndarray
    holding the same numbers in the same order match. A DataFrame must match
    a DataFrame with the same columns and column dtypes."""
    import numpy as np
    import pandas as pd

    if reference is None or result is None:
        if result is reference:
            return True, ""
        return False, f"returned {type(result).__name__}, the reference returned {type(reference).__name__}"
    if isinstance(reference, pd.DataFrame) or isinstance(result, pd.DataFrame):
        if not (isinstance(reference, pd.DataFrame) and isinstance(result, pd.DataFrame)):
            return False, f"returned {type(result).__name__}, the reference returned {type(reference).__name__}"
        if list(result.columns) != list(reference.columns):
            return False, f"columns {list(result.columns)} differ from the reference's {list(reference.columns)}"
        for col in reference.columns:
            # A column that silently changed type (int to float after a NaN
            # crept in, say) is a different answer even when values agree.
            if result[col].dtype != reference[col].dtype:
                return False, (f"column {col!r} has dtype {result[col].dtype}, "
                               f"the reference's is {reference[col].dtype}")
            ok, why = same(result[col], reference[col], rtol, atol)
            if not ok:
                return False, f"column {col!r}: {why}"
        return True, ""
    a = _values(result)
    b = _values(reference)
    if a.shape != b.shape:
        return False, f"shape {a.shape} differs from the reference's {b.shape}"
    if a.dtype.kind in "biufc" and b.dtype.kind in "biufc":
        close = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
    else:
        close = np.asarray(a == b) | (pd.isna(a) & pd.isna(b))
    if close.all():
        return True, ""
    bad = np.flatnonzero(~close.ravel())
    i = bad[0]
    return False, (f"{len(bad):,} of {close.size:,} values differ from the reference "
                   f"(first at position {i}: {a.ravel()[i]!r} instead of {b.ravel()[i]!r})")


def _values(obj):
    import numpy as np
    import pandas as pd

    if isinstance(obj, (pd.Series, pd.Index)):
        return obj.to_numpy()
    if isinstance(obj, (set, frozenset)):
        return np.asarray(sorted(obj))
    return np.asarray(obj)


# ---- the declaration, for the parent process ------------------------------

def declaration(lesson):
    """What the harness needs of a lesson, as JSON text. The parent process
    never runs lesson code: it reads this and checks every field itself."""
    import json

    return json.dumps({
        "question": lesson.question, "answer": lesson.answer, "signal": lesson.signal,
        "trivia": lesson.trivia, "dataset": lesson.dataset, "focus": lesson.focus,
        "csv": lesson.csv, "profile": lesson.profile, "sizes": lesson.sizes,
        "references": lesson.references,
        "mem_limit_bytes": (lesson.mem_limit << 20) if lesson.mem_limit else None,
        "columns": lesson.columns_text,
        "variants": [{"name": v.name, "kind": v.kind, "part": v.part, "doc": v.doc,
                      "max_n": v.max_n, "mutates": bool(v.mutates),
                      "source": _source(v.fn)}
                     for v in lesson.variants.values()],
        "claims": [_claim_declaration(c) for c in lesson.claims],
        "hints": list(lesson.hints),
    }, allow_nan=False)


def _source(fn):
    # What the report shows as the code that was timed: the function as the
    # file has it, decorator included, so its kind and max_n show too.
    import inspect
    import textwrap

    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None


def _claim_declaration(c):
    # A range is an exponent's for growth and a statistic's for statistic,
    # the names results.json gives them.
    bounds = "range" if c.kind == "statistic" else "exponent"
    return {"kind": c.kind, "variant": c.variant, "other": c.other, "n": c.n,
            "n_from": c.n_from, "factor": c.factor, f"{bounds}_lo": c.lo,
            f"{bounds}_hi": c.hi, "warning": c.warning, "statistic": c.statistic}


# ---- What a variant leaves running ------------------------------------------
#
# A variant that returns while its threads or child processes still run
# would bill its work to whatever is measured next, and a pool nobody shuts
# down outlives the run. The worker takes running_now() before a variant and
# hands it to leftovers() after it.

_LEFTOVER_GRACE_S = 1.0


def running_now():
    """The threads and the child processes of this process, as leftovers()
    compares them: (set of Thread, set of pid)."""
    import threading

    return set(threading.enumerate()), set(_children())


def leftovers(before):
    """What started since `before` and still runs after a grace period, one
    phrase each ("thread 'Thread-3 (spin)'", "child process 812 (python3)").
    Child processes are then killed and reaped; threads cannot be stopped
    from outside, so the caller must end this process when a phrase names
    one. An empty list when the variant cleaned up after itself."""
    import multiprocessing
    import threading
    import time

    threads_before, pids_before = before
    deadline = time.monotonic() + _LEFTOVER_GRACE_S
    # A pool being torn down may need a moment to finish: wait, then judge.
    for t in set(threading.enumerate()) - threads_before:
        try:
            t.join(max(0.0, deadline - time.monotonic()))
        except RuntimeError:  # still starting: it is judged below
            pass
    multiprocessing.active_children()  # reaps the pool workers that ended
    pids = set(_children()) - pids_before
    while pids and time.monotonic() < deadline:
        time.sleep(0.02)
        multiprocessing.active_children()
        pids = set(_children()) - pids_before
    found = [f"thread {t.name!r}" for t in threading.enumerate()
             if t not in threads_before and t.is_alive()]
    for pid in sorted(pids):
        found.append(f"child process {pid} ({_command(pid)})")
        _kill(pid)
    return found


def _children():
    """Pids of this process's children that are still running (zombies,
    which have ended and wait only to be reaped, are left out)."""
    import os

    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: read after it.
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if int(ppid) == me and state != "Z":
            yield int(entry)


def _command(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().split(b"\0")
        return " ".join(w.decode(errors="replace") for w in words if w)[:80] or "?"
    except OSError:
        return "?"


def _kill(pid):
    import os
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


# ---- Edge cases --------------------------------------------------------------
#
# A lesson's `cases` are small inputs every variant must get right besides
# the sized ones (a graph with a cycle for a topological sort). A variant
# gets a case right when it returns what its reference returns, or raises
# what the reference raises (an instance of the reference's exception class:
# graphlib's CycleError is a ValueError). A case must take no time: one that
# runs past _CASE_LIMIT_S is taken to hang.

_CASE_LIMIT_S = 2.0
_case_answers = {}


class _CaseHung(Exception):
    pass


def check_cases(lesson, name):
    """'' when variant `name` gets every case of the lesson right, else which
    case it got wrong and how."""
    variant = lesson.variants[name]
    ref = lesson.references[variant.part]
    for case, make in lesson.cases.items():
        if (ref, case) not in _case_answers:
            _case_answers[ref, case] = _answer(lesson.variants[ref].fn, make)
        want = _case_answers[ref, case]
        got = want if name == ref else _answer(variant.fn, make)
        why = _case_mismatch(got, want)
        if why:
            return f"on the edge case {case!r}: {why}"
    return ""


def _answer(fn, make):
    """('returned', value), ('raised', exception) or ('hung', None)."""
    import signal

    def hang(signum, frame):
        raise _CaseHung()

    old = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, _CASE_LIMIT_S)
    try:
        return "returned", fn(make())
    except _CaseHung:
        return "hung", None
    except Exception as e:
        return "raised", e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _case_mismatch(got, want):
    (how, value), (want_how, want_value) = got, want
    if want_how == "hung":
        return f"cannot be checked: the reference gave no answer within {_CASE_LIMIT_S:g} s"
    if how == "hung":
        return f"no answer within {_CASE_LIMIT_S:g} s (it loops forever?)"
    if want_how == "raised":
        if how == "raised" and isinstance(value, type(want_value)):
            return ""
        did = f"raised {type(value).__name__}" if how == "raised" else f"returned {_short(value)}"
        return f"{did}, where the reference raised {type(want_value).__name__}: {want_value}"
    if how == "raised":
        return f"raised {type(value).__name__}: {value}, where the reference returned {_short(want_value)}"
    ok, why = same(value, want_value)
    return "" if ok else why


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
# ---- Statistics and curves of a result -------------------------------------

# A curve keeps at most this many points per series in results.json: enough
# for a smooth line on a chart, small enough for the file to stay readable.
CURVE_POINTS = 200


def check(lesson, result, reference):
    """same() at the lesson's tolerance: an estimate (an iterative fit) is
    compared at the tolerance the lesson declared."""
    return same(result, reference, rtol=lesson.tolerance)


def statistics(lesson, result):
    """The lesson's statistics of a result as JSON text: a list of
    {name, value, hits, trials}; hits and trials only for a proportion. A
    statistic function returning None has nothing to say about this result
    (the reference of an iterative lesson has no trace, say)."""
    import json
    import math

    from pdlab import Proportion

    out = []
    for name, fn in lesson.statistics.items():
        x = fn(result)
        if x is None:
            continue
        if isinstance(x, Proportion):
            out.append({"name": name, "value": x.hits / x.trials, "hits": x.hits,
                        "trials": x.trials})
        elif math.isfinite(float(x)):
            out.append({"name": name, "value": float(x)})
    return json.dumps(out)


def curves(lesson, variant, n, result):
    """The curves this variant's result draws at size n, as JSON text: a
    list of {title, x, y, logx, logy, series: [{label, x, y}], marks:
    [{x, y, label}]}. Series longer than CURVE_POINTS are thinned evenly,
    first and last points kept."""
    import json

    import numpy as np

    out = []
    for c in lesson.curves:
        if c.n != n or variant not in c.variants:
            continue
        series = []
        for label, (xs, ys) in c.series(result).items():
            xs = np.asarray(xs, dtype=float)
            ys = np.asarray(ys, dtype=float)
            if xs.shape != ys.shape or xs.ndim != 1:
                raise ValueError(f"curve {c.title!r}, series {label!r}: x and y must be "
                                 f"1-D and of one length, got {xs.shape} and {ys.shape}")
            keep = np.isfinite(xs) & np.isfinite(ys)
            xs, ys = xs[keep], ys[keep]
            if len(xs) > CURVE_POINTS:
                pick = np.unique(np.linspace(0, len(xs) - 1, CURVE_POINTS).round().astype(int))
                xs, ys = xs[pick], ys[pick]
            series.append({"label": str(label), "x": xs.tolist(), "y": ys.tolist()})
        marks = [{"x": float(x), "y": float(y), "label": _text(label)}
                 for x, y, label in (c.marks(result) if c.marks else ())]
        out.append({"title": c.title, "x": c.x, "y": c.y, "logx": c.logx, "logy": c.logy,
                    "series": series, "marks": marks})
    return json.dumps(out)
