LESSON = "lru_cache"

import collections


def load(key):
    return key * 2


def solve(work):
    # Evicts the oldest entry, not the least recently used: a FIFO cache,
    # which hits less often.
    capacity, keys = work
    cache, hits = collections.OrderedDict(), 0
    for key in keys:
        if key in cache:
            hits += 1
        else:
            if len(cache) == capacity:
                cache.popitem(last=False)
            cache[key] = load(key)
    return hits
