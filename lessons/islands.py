"""Count the islands in a grid of land (1) and water (0).

An island is land connected up, down, left or right. The map is a square of
n cells: random land at 40% (below the density where land starts to connect
across the map, so most islands are small) and one continent, a solid block
whose side is a fifth of the map's. Every variant returns the number of
islands. The recursive search goes as deep as the continent is large: at
160,000 cells that is 6,400 calls, past Python's limit of 1,000, and it
raises RecursionError. The Python searches turn the array into lists of
rows first, since reading an array one cell at a time is slower still.
"""

import collections
import math

import numpy as np
from scipy import ndimage

import pdlab

lesson = pdlab.lesson(
    question="Count the islands in a 2-D grid.",
    answer="""
        Scan the cells; at each unvisited land cell count an island and flood
        it, marking every land cell reachable from it, with a BFS on a deque or
        a DFS on an explicit stack. Each cell is visited a constant number of
        times, so it is O(rows x cols). The recursive DFS is the same algorithm
        but its depth is the island's size: on a large island it exceeds
        Python's recursion limit (1,000 by default) and raises RecursionError,
        and raising the limit only trades that for a crash of the C stack. In
        production, scipy.ndimage.label does the labeling in C.
    """,
    signal="""
        Sees a grid as a graph and knows the traversal is linear; knows that
        Python recursion has a small fixed depth, so an explicit stack or
        queue is what survives real inputs, and knows the library call.
    """,
    trivia="partial",
    dataset="column",
    sizes=[2_500, 10_000, 160_000],
    reference="bfs_deque",
    claims=[
        pdlab.growth("bfs_deque", exponent=(0.8, 1.25)),
        pdlab.growth("stack_dfs", exponent=(0.8, 1.25)),
        pdlab.faster("scipy_label", than="bfs_deque", at=160_000, by=10),
        pdlab.fails("recursive_dfs", at=160_000, raises="RecursionError"),
    ],
)


@lesson.prepare
def island_map(df, n):
    """A square array of 0 and 1, as a raster or an image arrives."""
    side = math.isqrt(n)
    rng = np.random.default_rng(n)
    grid = (rng.random((side, side)) < 0.4).astype(np.int8)
    grid[: side // 5, : side // 5] = 1
    return grid


NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


@lesson.variant(kind="loop")
def recursive_dfs(grid):
    """Flood each island with a recursive function, one call per cell."""
    grid = grid.tolist()  # rows of Python ints: indexing an array cell by cell is slower
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]

    def flood(r, c):
        seen[r][c] = True
        for dr, dc in NEIGHBOURS:
            i, j = r + dr, c + dc
            if 0 <= i < rows and 0 <= j < cols and grid[i][j] and not seen[i][j]:
                flood(i, j)

    count = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] and not seen[r][c]:
                count += 1
                flood(r, c)
    return count


@lesson.variant(kind="loop")
def stack_dfs(grid):
    """Flood each island depth-first with a list as the stack."""
    grid = grid.tolist()  # rows of Python ints: indexing an array cell by cell is slower
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    count = 0
    for r in range(rows):
        for c in range(cols):
            if not grid[r][c] or seen[r][c]:
                continue
            count += 1
            seen[r][c] = True
            stack = [(r, c)]
            while stack:
                y, x = stack.pop()
                for dy, dx in NEIGHBOURS:
                    i, j = y + dy, x + dx
                    if 0 <= i < rows and 0 <= j < cols and grid[i][j] and not seen[i][j]:
                        seen[i][j] = True
                        stack.append((i, j))
    return count


@lesson.variant(kind="loop")
def bfs_deque(grid):
    """Flood each island breadth-first from a collections.deque."""
    grid = grid.tolist()  # rows of Python ints: indexing an array cell by cell is slower
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    count = 0
    for r in range(rows):
        for c in range(cols):
            if not grid[r][c] or seen[r][c]:
                continue
            count += 1
            seen[r][c] = True
            queue = collections.deque([(r, c)])
            while queue:
                y, x = queue.popleft()
                for dy, dx in NEIGHBOURS:
                    i, j = y + dy, x + dx
                    if 0 <= i < rows and 0 <= j < cols and grid[i][j] and not seen[i][j]:
                        seen[i][j] = True
                        queue.append((i, j))
    return count


@lesson.variant(kind="compiled")
def scipy_label(grid):
    """scipy.ndimage.label on the array (4-connected by default)."""
    return ndimage.label(grid)[1]
