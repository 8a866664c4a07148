"""async/await against one local server that answers every request 20 ms
after it arrives (pdlab.slow_server: a real socket, a real wait).

Ten requests: one after another, as coroutines under asyncio.gather, and
on a thread pool of ten; each opens a connection, sends one line and
reads the answer back. Then CPU-bound work (four pure-Python sums) as
coroutines under gather: nothing in it awaits, so the event loop runs the
coroutines one after another and gather gains nothing.
"""

import asyncio
import concurrent.futures
import socket

import pdlab

REQUESTS = 10
DELAY_S = 0.02
CHUNK = 150_000

lesson = pdlab.lesson(
    question="Explain async/await and when it helps.",
    answer="""
        A coroutine (async def) runs until it awaits something that is not
        ready, such as a socket read; the event loop then runs another
        coroutine that can go on, all in one thread. So N network requests
        under asyncio.gather wait together and take about one round trip
        instead of N, with less overhead than a thread per request. It gives
        nothing for CPU-bound work: a coroutine that never awaits holds the
        loop until it ends, and one blocking call (time.sleep, requests.get)
        stalls every other coroutine. CPU work goes to processes, and
        blocking libraries to a thread pool (asyncio.to_thread).
    """,
    signal="""
        Knows async is cooperative concurrency in one thread: a win for many
        waits, no help (or harm) for computation, and a trap with blocking
        calls.
    """,
    trivia="partial",
    dataset="column",
    sizes=[1_000],
    reference={"io": "one_by_one", "cpu": "cpu_plain"},
    # Measured on a busy 2-core machine with twenty requests: gather 15x
    # faster than one by one, threads 17x; with ten, about half that (7x
    # and 8x on a quiet one).
    claims=[
        pdlab.faster("gather", than="one_by_one", at=1_000, by=4),
        pdlab.faster("thread_pool", than="one_by_one", at=1_000, by=4),
        # No gain on CPU work: gather measured 1.0x to 1.7x the plain loop
        # (the event loop's bookkeeping is all it adds).
        pdlab.similar("cpu_gather", "cpu_plain", at=1_000, within=2),
    ],
)


@lesson.prepare(part="io")
def server(df, n):
    return pdlab.slow_server(DELAY_S)


@lesson.prepare(part="cpu")
def chunks(df, n):
    return [CHUNK] * 4


def ask(address, i):
    with socket.create_connection(address) as s:
        s.sendall(f"{i}\n".encode())
        return int(s.makefile().readline())


async def ask_async(address, i):
    reader, writer = await asyncio.open_connection(*address)
    writer.write(f"{i}\n".encode())
    answer = int(await reader.readline())
    writer.close()
    await writer.wait_closed()
    return answer


@lesson.variant(kind="loop", part="io")
def one_by_one(address):
    """Each request waits for its answer before the next is sent."""
    return [ask(address, i) for i in range(REQUESTS)]


@lesson.variant(kind="stdlib", part="io")
def gather(address):
    """asyncio.gather of one coroutine per request, in one thread."""
    async def all_of_them():
        return await asyncio.gather(*(ask_async(address, i) for i in range(REQUESTS)))
    return asyncio.run(all_of_them())


@lesson.variant(kind="stdlib", part="io")
def thread_pool(address):
    """The blocking requests on a ThreadPoolExecutor of one thread each."""
    with concurrent.futures.ThreadPoolExecutor(REQUESTS) as pool:
        return list(pool.map(ask, [address] * REQUESTS, range(REQUESTS)))


def crunch(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


async def crunch_async(n):
    return crunch(n)


@lesson.variant(kind="loop", part="cpu")
def cpu_plain(sizes):
    """The four sums in a plain loop."""
    return [crunch(n) for n in sizes]


@lesson.variant(kind="stdlib", part="cpu")
def cpu_gather(sizes):
    """The four sums as coroutines under asyncio.gather: nothing to await."""
    async def all_of_them():
        return await asyncio.gather(*(crunch_async(n) for n in sizes))
    return asyncio.run(all_of_them())
