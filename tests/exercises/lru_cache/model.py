LESSON = "lru_cache"

import collections


def load(key):
    return key * 2


def solve(work):
    capacity, keys = work
    cache, hits = collections.OrderedDict(), 0
    for key in keys:
        if key in cache:
            hits += 1
            cache.move_to_end(key)
        else:
            if len(cache) == capacity:
                cache.popitem(last=False)
            cache[key] = load(key)
    return hits
