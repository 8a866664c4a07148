LESSON = "topo_sort"


def solve(needs):
    # Depth first, but nothing marks the tasks on the current path: a cycle
    # goes unnoticed and an order comes back anyway.
    done, order = set(), []

    def visit(task):
        if task in done:
            return
        done.add(task)
        for p in needs[task]:
            visit(p)
        order.append(task)

    for task in needs:
        visit(task)
    return order
