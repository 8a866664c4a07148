"""An LRU cache with O(1) get and put.

Every variant serves the same 20,000 reads through a read-through cache of
capacity n (a miss loads the value and may evict the least recently used
entry) and returns how many reads were hits. The keys come from a pool of
2n, with a skew towards a hot few, so the hit rate is about the same at
every capacity and only the cost of one operation changes. Time per
operation is the call's time over 20,000: the list's remove and membership
test walk the list, so they grow with the capacity; the others do not.
"""

import collections
import functools

import numpy as np

import pdlab

READS = 20_000

lesson = pdlab.lesson(
    question="Implement an LRU cache with O(1) get and put.",
    answer="""
        Keep a hash map from key to value for O(1) lookup, and the order of use
        in a doubly linked list, so that moving an entry to the front and
        dropping the back are O(1) pointer updates. In Python,
        collections.OrderedDict is exactly that: move_to_end on a hit,
        popitem(last=False) to evict. For caching a function,
        functools.lru_cache does it in C. Keeping the order in a plain list
        makes every hit an O(capacity) remove.
    """,
    signal="""
        Combines two structures so each covers the other's weakness, knows
        which list operations are linear, and knows the standard library
        already ships the structure.
    """,
    trivia="partial",
    dataset="column",
    sizes=[64, 256, 1_024],
    reference="ordered_dict",
    # Measured on a 2-core machine from 64 to 4,096 entries: the list's time
    # grows as n^0.9, the others' as n^0.1 at most (n^0.27 when the
    # machine was busy): flat, give or take the caches. The list is 10x
    # slower than OrderedDict at 1,024 entries and 40x at 4,096.
    claims=[
        pdlab.growth("list_order", exponent=(0.4, 1.3)),
        pdlab.growth("ordered_dict", exponent=(-0.3, 0.4)),
        pdlab.growth("linked_list", exponent=(-0.3, 0.4)),
        pdlab.faster("ordered_dict", than="list_order", at=1_024, by=4),
    ],
    hints=[
        "On every hit, order.remove(key) walks the list: one read costs more "
        "the larger the cache.",
        "The order of use needs an O(1) move-to-the-end and an O(1) drop-the-"
        "oldest; a dict keeps its keys in order, and one kind of dict can also "
        "move a key.",
        "collections.OrderedDict: cache.move_to_end(key) on a hit; when it is "
        "full, cache.popitem(last=False) before cache[key] = load(key).",
    ],
)


@lesson.prepare
def reads(df, n):
    """(capacity, keys): keys drawn from 2n with a skew towards small ones."""
    rng = np.random.default_rng(n)
    keys = (2 * n * rng.random(READS) ** 2).astype(int)
    return n, keys.tolist()


def load(key):
    """What a miss costs besides the cache: kept trivial so the cache shows."""
    return key * 2


@lesson.variant(kind="loop")
def list_order(work):
    """A dict of values and a list of keys in order of use: remove and append on a hit."""
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


@lesson.variant(kind="stdlib")
def ordered_dict(work):
    """OrderedDict: move_to_end on a hit, popitem(last=False) to evict."""
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


class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key=None, value=None):
        self.key, self.value = key, value
        self.prev = self.next = self


class LinkedLRU:
    """A dict of nodes and a circular doubly linked list; head.next is newest."""

    def __init__(self, capacity):
        self.capacity, self.nodes, self.head = capacity, {}, _Node()

    def _unlink(self, node):
        node.prev.next, node.next.prev = node.next, node.prev

    def _push_front(self, node):
        node.prev, node.next = self.head, self.head.next
        self.head.next.prev = node
        self.head.next = node

    def get(self, key):
        node = self.nodes.get(key)
        if node is None:
            return None
        self._unlink(node)
        self._push_front(node)
        return node.value

    def put(self, key, value):
        if len(self.nodes) == self.capacity:
            oldest = self.head.prev
            self._unlink(oldest)
            del self.nodes[oldest.key]
        node = self.nodes[key] = _Node(key, value)
        self._push_front(node)


@lesson.variant(kind="loop")
def linked_list(work):
    """A dict of nodes plus a hand-written doubly linked list."""
    capacity, keys = work
    cache, hits = LinkedLRU(capacity), 0
    for key in keys:
        if cache.get(key) is not None:
            hits += 1
        else:
            cache.put(key, load(key))
    return hits


@lesson.variant(kind="stdlib")
def functools_lru(work):
    """functools.lru_cache(maxsize=capacity) around the loader; hits from cache_info()."""
    capacity, keys = work
    cached = functools.lru_cache(maxsize=capacity)(load)
    for key in keys:
        cached(key)
    return cached.cache_info().hits
