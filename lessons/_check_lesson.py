"""The lesson `pdlab check` runs: a lesson with the learner's function beside it.

pdlab writes this file, with a check.json beside it, into a scratch folder
and runs it as an ordinary lesson, so the learner's answer goes through the
same workers, time and memory limits, checks and claims as any variant. The
parent process reads this file's declaration too, so nothing here may touch
the learner's file at load time: it is opened only when the variant `yours`
is first called, which happens in a worker.
"""

import importlib.util
import json
import os

import pdlab

with open(os.path.join(os.path.dirname(__file__), "check.json"), encoding="utf-8") as _f:
    _CHECK = json.load(_f)

# The lesson, executed from its own file in a namespace of its own: its
# variants, preparers and constants are exactly what `pdlab run` uses.
_ns = {"__name__": "pdlab_checked_" + _CHECK["lesson_id"], "__file__": _CHECK["lesson_path"]}
with open(_CHECK["lesson_path"], encoding="utf-8") as _f:
    exec(compile(_f.read(), _CHECK["lesson_path"], "exec"), _ns)
lesson = next(v for v in _ns.values() if isinstance(v, pdlab.Lesson))
del _ns

# Only what the feedback compares with: the reference, the slow answer and
# the model answer. The others would only make the learner wait.
lesson.variants = {k: v for k, v in lesson.variants.items() if k in _CHECK["keep"]}
lesson.sizes = sorted(_CHECK["sizes"])
lesson.profile = "yours"
_target = pdlab.less_memory if _CHECK["memory"] else pdlab.faster
lesson.claims = [_target("yours", than=_CHECK["slow"], at=_CHECK["target_n"],
                         by=_CHECK["target_by"])]


class NotAnAnswer(Exception):
    """The learner's file has no function of the expected name."""


_solve = []


def _learner_function():
    # Loaded once per worker, on the first call: the file's own top-level
    # code runs here, in the worker, never in the parent.
    if not _solve:
        spec = importlib.util.spec_from_file_location("learner", _CHECK["learner_path"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fn = getattr(module, _CHECK["function"], None)
        if not callable(fn):
            raise NotAnAnswer(f"{_CHECK['learner_path']} defines no function "
                              f"{_CHECK['function']}(); the starter file has one to fill in")
        _solve.append(fn)
    return _solve[0]


def yours(data):
    return _learner_function()(data)


yours.__doc__ = "your answer: " + os.path.basename(_CHECK["learner_path"])
lesson.variant("yours", kind=_CHECK["kind"], part=_CHECK["part"],
               mutates=_CHECK["mutates"])(yours)
