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


def fingerprint(obj):
    """A value that changes when obj's contents change: the harness checks
    that a variant left its shared input as it found it."""
    import hashlib
    import os
    import pickle

    import numpy as np
    import pandas as pd

    if isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        dtypes = obj.dtypes if isinstance(obj, pd.DataFrame) else [obj.dtype]
        return int(pd.util.hash_pandas_object(obj, index=True).sum()), tuple(map(str, dtypes))
    if isinstance(obj, np.ndarray) and obj.dtype != object:
        return hashlib.blake2b(np.ascontiguousarray(obj).tobytes()).hexdigest(), obj.shape
    if isinstance(obj, str) and os.path.isfile(obj):
        st = os.stat(obj)
        return st.st_size, st.st_mtime_ns
    # Containers of frames (a dict of representations, say) are hashed item
    # by item: pickling whole frames would cost more than the variants.
    if isinstance(obj, dict):
        return tuple((k, fingerprint(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)) and any(
            isinstance(v, (pd.DataFrame, pd.Series, np.ndarray)) for v in obj):
        return tuple(fingerprint(v) for v in obj)
    return hashlib.blake2b(pickle.dumps(obj)).hexdigest()


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
