LESSON = "topo_sort"

import collections


def solve(needs):
    unmet = {task: len(pre) for task, pre in needs.items()}
    needed_by = collections.defaultdict(list)
    for task, pre in needs.items():
        for p in pre:
            needed_by[p].append(task)
    ready = collections.deque(task for task, count in unmet.items() if count == 0)
    order = []
    while ready:
        task = ready.popleft()
        order.append(task)
        for t in needed_by[task]:
            unmet[t] -= 1
            if unmet[t] == 0:
                ready.append(t)
    if len(order) < len(needs):
        raise ValueError(f"cycle among {len(needs) - len(order)} tasks")
    return order
