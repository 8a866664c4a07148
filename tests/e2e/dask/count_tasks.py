"""A dask-scheduler preload for the e2e test: the scheduler counts, per
worker, the tasks that finished there, so the test reads who did the work
from the scheduler's own records."""

from collections import Counter

from distributed.diagnostics.plugin import SchedulerPlugin


class CountTasks(SchedulerPlugin):
    name = "pdlab-count-tasks"

    def __init__(self):
        self.done = Counter()

    def transition(self, key, start, finish, *args, **kwargs):
        if start == "processing" and finish == "memory" and kwargs.get("worker"):
            self.done[kwargs["worker"]] += 1


def dask_setup(scheduler):
    scheduler.add_plugin(CountTasks())
