LESSON = "lru_cache"


def load(key):
    return key * 2


def solve(work):
    capacity, keys = work
    values, order, hits = {}, [], 0
    for key in keys:
        if key in values:
            hits += 1
            order.remove(key)
        else:
            if len(values) == capacity:
                del values[order.pop(0)]
            values[key] = load(key)
        order.append(key)
    return hits
