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
    out += describe_cases(lesson, reference)
    out += [""] + _top_level(tree, source) + [""]
    for text in _helpers(tree, source, slow.fn.__name__):
        out += ["", text, ""]
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
    if isinstance(obj, str):
        return f"a str ({len(obj):,} characters here: {_short(obj, 40)}):"
    if isinstance(obj, (int, float)):
        kind = type(obj).__name__
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({obj!r} here):"
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
    if isinstance(data, str) and ex.get("csv"):
        with open(data, encoding="utf-8") as f:
            first = [next(f, "").rstrip("\n") for _ in range(5)]
        return [head + f"the path of a CSV file ({n:,} rows here, up to {ex['full_n']:,} "
                "when checked). Its first lines:"] + ["#     " + s for s in first]
    lines = [head + shape(data) + ",",
             f"# made here at size n = {n:,}; checked at sizes up to n = {ex['full_n']:,}.",
             "# It begins:"]
    return lines + ["#     " + s for s in sample(data)]


def describe_cases(lesson, reference):
    """Comment lines: the lesson's edge cases and what the reference does
    on each, which an answer must match."""
    if not lesson.cases:
        return []
    lines = ["#", "# Edge cases: on these small inputs it must do what the reference does."]
    for name, make in lesson.cases.items():
        try:
            outcome = "returns " + _short(reference.fn(make()), 40)
        except Exception as e:
            outcome = f"raises {type(e).__name__}"
        lines.append(f"#     {name}: {_short(make(), 50)} -> {outcome}")
    return lines


def shape(obj):
    """What obj is, in a phrase: "a dict of 1,000 int keys to list values"."""
    if isinstance(obj, str):
        return f"a str of {len(obj):,} characters ({len(set(obj))} distinct)"
    if isinstance(obj, dict):
        keys = _kinds(list(obj)[:1000])
        values = _kinds(list(obj.values())[:1000])
        return f"a dict of {len(obj):,} entries, {keys} keys to {values} values"
    if isinstance(obj, tuple) and len(obj) <= 4:
        parts = "; ".join(f"[{i}] {shape(x)}" for i, x in enumerate(obj))
        return f"a tuple of {len(obj)}: {parts}"
    if isinstance(obj, (list, tuple)):
        return f"a {type(obj).__name__} of {len(obj):,} {_kinds(obj[:1000])} values"
    if isinstance(obj, np.ndarray):
        return f"a NumPy array of shape {obj.shape}, dtype {obj.dtype}"
    if isinstance(obj, (int, float)):
        return f"the {type(obj).__name__} {obj!r}"
    return f"a {type(obj).__name__}"


def sample(obj, width=70):
    """A few lines showing the start of obj, each at most about width."""
    if isinstance(obj, str):
        return [repr(obj[:width - 8]) + (" ..." if len(obj) > width - 8 else "")]
    if isinstance(obj, dict):
        items = list(obj.items())[:5]
        lines = [f"{k!r}: {_short(v, width - len(repr(k)) - 2)}" for k, v in items]
        return lines + (["..."] if len(obj) > 5 else [])
    if isinstance(obj, tuple) and len(obj) <= 4:
        return [f"[{i}] {_short(x, width - 4)}" for i, x in enumerate(obj)]
    if isinstance(obj, np.ndarray):
        return repr(obj[:5]).splitlines()
    return [_short(obj, width)]


def _short(obj, width):
    text = repr(obj)
    if len(text) <= width:
        return text
    cut = text[:width - 4]
    return cut[:cut.rfind(",") + 1] + " ..." if "," in cut else cut + " ..."


def _kinds(values):
    kinds = sorted({type(v).__name__ for v in values})
    return "/".join(kinds) if kinds else "no"


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


def _helpers(tree, source, name):
    """The source of the lesson's plain module-level functions the slow
    answer calls, and those they call: the starter must run as it is. No
    variant is among them (variants are decorated)."""
    plain = {node.name: node for node in tree.body
             if isinstance(node, ast.FunctionDef) and not node.decorator_list}
    want, todo = [], [next(node for node in tree.body
                           if isinstance(node, ast.FunctionDef) and node.name == name)]
    while todo:
        used = {n.id for n in ast.walk(todo.pop()) if isinstance(n, ast.Name)}
        for fn in sorted(used & set(plain) - set(want)):
            want.append(fn)
            todo.append(plain[fn])
    return [ast.get_source_segment(source, plain[fn]) for fn in want]


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
