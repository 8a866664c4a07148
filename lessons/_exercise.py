"""What `pdlab exercise` needs from Python: a starter file for a learner.

pdlab compiles this file into its binary and runs it in the parent's
interpreter, on the lesson's own (trusted) code only: the lesson's slow
variant, its module-level imports and constants, and its prepared input at a
small size, described. The learner's file is never read here.
"""

import ast

import numpy as np
import pandas as pd


def starter(lesson, lesson_path, lesson_id, frame, n, ex):
    """The text of a starter file. `ex` is a dict: slow, model, function,
    target (a sentence), full_n (the lesson's largest size), dataset."""
    with open(lesson_path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source)
    slow = lesson.variants[ex["slow"]]
    model = lesson.variants[ex["model"]]
    data = lesson.input_for(model.part, frame, n)
    reference = lesson.variants[lesson.references[model.part]]
    result = reference.fn(_fresh(data) if reference.mutates else data)
    arg = _first_parameter(tree, slow.fn.__name__)
    out = [f'"""pdlab exercise: {lesson_id}', "", _wrap(lesson.question, ""), '"""', "",
           f'LESSON = "{lesson_id}"', "",
           "# Your task: write", f"#     {ex['function']}({arg})",
           f"# at the end of this file. {_wrap(ex['target'], '# ').lstrip('# ')}",
           f"# It must return {describe_result(result)}",
           f"# the same values as {slow.name}({arg}) below (compared as `pdlab run` compares",
           "# every variant with the lesson's reference).", "#",
           f"# Check it:     pdlab check {lesson_id}.py",
           f"# Stuck?        pdlab hint {lesson_id}", "#"]
    out += describe_input(data, arg, n, ex)
    out += [""] + _top_level(tree, source) + [""]
    out += ["", "# ---- a typical first answer: right, and slow " + "-" * 26, ""]
    out += [_function_source(tree, source, slow.fn.__name__), "", ""]
    out += ["# ---- yours " + "-" * 61, "",
            f"def {ex['function']}({arg}):",
            f'    """Return what {slow.name}({arg}) returns, without its cost."""',
            "    raise NotImplementedError(\"write the fast answer here\")", ""]
    return "\n".join(out)


def describe_result(obj):
    """A sentence fragment saying what obj is: type, length, dtype."""
    if isinstance(obj, pd.DataFrame):
        cols = ", ".join(f"{c} ({t})" for c, t in obj.dtypes.astype(str).items())
        return f"a DataFrame of {len(obj):,} rows with the columns {cols}:"
    if isinstance(obj, pd.Series):
        index = "" if isinstance(obj.index, pd.RangeIndex) else f", indexed by {obj.index.name or 'its keys'}"
        return f"a pandas Series (or list, or array) of {len(obj):,} {obj.dtype} values{index}:"
    if isinstance(obj, np.ndarray):
        return f"a NumPy array (or Series, or list) of shape {obj.shape}, dtype {obj.dtype}:"
    if isinstance(obj, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in obj[:1000]})
        return f"a list (or Series, or array) of {len(obj):,} values ({', '.join(kinds)}):"
    return f"a {type(obj).__name__}:"


def describe_input(data, arg, n, ex):
    """Comment lines: what the function receives, with a few real rows."""
    head = f"# The data: {arg} is "
    if isinstance(data, pd.DataFrame):
        lines = [head + f"a DataFrame (dataset {ex['dataset']!r}; {n:,} rows here, up to "
                 f"{ex['full_n']:,} when checked).", "# Columns and dtypes:"]
        lines += [f"#     {c:<10} {t}" for c, t in data.dtypes.astype(str).items()]
        lines += ["# Its first rows:"] + ["#     " + s for s in data.head(5).to_string().splitlines()]
        return lines
    if isinstance(data, str):
        with open(data, encoding="utf-8") as f:
            first = [next(f, "").rstrip("\n") for _ in range(5)]
        return [head + f"the path of a CSV file ({n:,} rows here, up to {ex['full_n']:,} "
                "when checked). Its first lines:"] + ["#     " + s for s in first]
    if isinstance(data, np.ndarray):
        return [head + f"a NumPy array, shape {data.shape} here, dtype {data.dtype}. "
                "Its first rows:"] + ["#     " + s for s in repr(data[:5]).splitlines()]
    return [head + f"a {type(data).__name__}: {repr(data)[:200]}"]


def _first_parameter(tree, name):
    fn = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    return fn.args.args[0].arg if fn.args.args else "data"


def _function_source(tree, source, name):
    # The def without its @lesson.variant decorator: a plain function the
    # learner can call and time as it is.
    fn = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    lines = source.splitlines()
    return "\n".join(lines[fn.lineno - 1:fn.end_lineno])


def _top_level(tree, source):
    """The lesson's imports (but pdlab) and module-level constants, which
    the slow answer uses."""
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            if "pdlab" in names or getattr(node, "module", None) == "pdlab":
                continue
            out.append(ast.get_source_segment(source, node))
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()
              and isinstance(node.value, ast.Constant)):
            out.append(source.splitlines()[node.lineno - 1])
    return out


def _fresh(data):
    return data.copy(deep=True) if hasattr(data, "copy") else data


def _wrap(text, prefix, width=76):
    words, lines, line = text.split(), [], prefix
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = prefix
        line += w + " "
    lines.append(line.rstrip())
    return "\n".join(lines)
