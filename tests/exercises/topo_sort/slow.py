LESSON = "topo_sort"

import collections


def solve(needs):
    unmet = {task: len(pre) for task, pre in needs.items()}
    needed_by = collections.defaultdict(list)
    for task, pre in needs.items():
        for p in pre:
            needed_by[p].append(task)
    remaining = list(needs)
    order = []
    while remaining:
        for task in remaining:
            if unmet[task] == 0:
                break
        else:
            raise ValueError(f"cycle among {len(remaining)} tasks")
        remaining.remove(task)
        order.append(task)
        for t in needed_by[task]:
            unmet[t] -= 1
    return order
