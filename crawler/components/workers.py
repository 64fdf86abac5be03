"""Per-page CPU work on every core: extraction, the text's fingerprints and what the store's
listeners can compute without the database (topic verdicts, search index words), done in a pool
of worker processes while the crawl process keeps Scrapy's reactor and the one SQLite writer.

- `RASAD_WORKERS` (the setting; crawler/settings.py reads the environment): worker processes;
  empty (default) = the cores this process may run on; 0 = none, everything in the crawl
  process (as before the pool).
- At most `IN_FLIGHT_PER_WORKER` pages per worker are handed over at once; the spider's callback
  waits for a slot, so Scrapy's scraper holds the rest of the responses and its memory limit
  (SCRAPER_SLOT_MAX_ACTIVE_SIZE) stops the downloader: memory stays flat whatever the pace.
- The work is a pure function of the page (`process_page`), so a page gives the same stored rows
  whether it ran in a worker or inline; the writes stay in the crawl process, in one writer.

The pool is one per process (a crawl process runs several outlets' spiders on one reactor).
Under `rasad crawl` a zygote process is forked before the reactor runs and forks the workers at
the first article page (a crawl with no article page to extract starts none); under `scrapy
crawl` they start from a forkserver at the first article page. A worker that dies is not
replaced: its pages, and later ones, are done inline."""
from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from storage.record import Article
from storage.stories import Text

WORKERS_SETTING = "RASAD_WORKERS"
IN_FLIGHT_PER_WORKER = 2

log = logging.getLogger(__name__)
_pool: Pool | None = None
_zygote_process: _Zygote | None = None


@dataclass
class PageJob:
    """One article page to work on (what crosses to a worker: the bytes, not the response)."""

    body: bytes
    url: str
    headers: dict[str, str]
    rules: Any  # crawler.config.outlets.ExtractRules | None
    outlet: str
    first_seen: str
    # (path, prepare_context) of each RASAD_STORE_LISTENERS listener, in order
    listeners: tuple[tuple[str, Any], ...] = ()


@dataclass
class PageResult:
    article: Article | None
    reason: str  # crawler.extract.REASONS
    text: Text | None = None  # the body's words, content hash and MinHash signature
    prepared: dict[str, Any] = field(default_factory=dict)  # listener path → its prepare()
    drift: Any = None  # crawler.extract.check.Drift: the outlet's rules did not fit the page
    bounded: bool = False  # read by the bounded paragraph reading (crawler.extract.Extraction)


def worker_count(value: Any = None) -> int:
    """RASAD_WORKERS as a number: empty → the usable cores; 0 → no pool. ValueError if bad."""
    if value in ("", None):
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise ValueError(f"{WORKERS_SETTING}={value!r}: expected a number of worker processes "
                         "(0 = none, empty = one per core)")
    return count


def process_page(job: PageJob) -> PageResult:
    """Extraction, fingerprints and the listeners' `prepare()`: everything per page that needs
    no database. Runs in a worker (or inline with RASAD_WORKERS=0)."""
    from crawler.extract import extract_page

    article, reason, _theme, drift, bounded = extract_page(
        job.body, job.url, headers=job.headers, rules=job.rules, outlet=job.outlet,
        first_seen=job.first_seen)
    if article is None:
        return PageResult(None, reason, drift=drift, bounded=bounded)
    prepared = {}
    for path, context in job.listeners:
        prepare = _prepare_function(path)
        if prepare is not None:
            try:
                prepared[path] = prepare(article, context)
            except Exception:  # noqa: BLE001 - the listener then runs it (and fails) in the store
                log.debug("prepare() of %s failed for %s", path, job.url, exc_info=True)
    return PageResult(article, reason, Text.of(article.body).compact(), prepared, drift,
                      bounded)


@lru_cache(maxsize=32)
def _prepare_function(path: str) -> Any:
    from scrapy.utils.misc import load_object

    return getattr(load_object(path), "prepare", None)


def listener_jobs(paths: list[str], settings: Any) -> tuple[tuple[str, Any], ...]:
    """(path, context) for each listener: what `process_page` needs to run their prepare()."""
    from scrapy.utils.misc import load_object

    out = []
    for path in paths:
        context_of = getattr(load_object(path), "prepare_context", None)
        out.append((path, context_of(settings) if context_of else None))
    return tuple(out)


# --- the pool ------------------------------------------------------------------------------------
# Not concurrent.futures.ProcessPoolExecutor: its feeder and manager threads pickle and unpickle
# in the crawl process, and every GIL hand-over with them stalled the reactor thread (measured:
# ~3 ms per page in the executor's wake-up write alone). Here each worker has one socket that the
# reactor's own event loop reads and writes; the crawl process runs no extra thread.

class WorkerLost(RuntimeError):
    """A worker process died with pages in flight."""


class _Worker:
    def __init__(self, sock: socket.socket, process: Any = None) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.process = process  # None: a child of the zygote, which reaps it
        self.pending: deque[asyncio.Future[PageResult]] = deque()
        self.sending: asyncio.Lock | None = None
        self.reader: asyncio.Task[None] | None = None
        self.alive = True

    async def submit(self, job: PageJob) -> PageResult:
        loop = asyncio.get_running_loop()
        if self.reader is None:
            self.sending = asyncio.Lock()
            self.reader = loop.create_task(self._read(loop))
        assert self.sending is not None
        future: asyncio.Future[PageResult] = loop.create_future()
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        async with self.sending:  # one frame at a time on the socket
            self.pending.append(future)
            await loop.sock_sendall(self.sock, _HEADER.pack(len(data)) + data)
        return await future

    async def _read(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while True:
                (size,) = _HEADER.unpack(await _receive(loop, self.sock, _HEADER.size))
                result = pickle.loads(await _receive(loop, self.sock, size))
                future = self.pending.popleft()
                if not future.done():
                    future.set_result(result)
        except (OSError, EOFError, pickle.UnpicklingError, IndexError) as exc:
            self.alive = False
            while self.pending:
                future = self.pending.popleft()
                if not future.done():
                    future.set_exception(WorkerLost(f"worker process lost: {exc!r}"))

    def close(self) -> None:
        self.alive = False
        if self.reader is not None and not self.reader.done():
            self.reader.cancel()
        self.sock.close()  # the worker reads end-of-file and exits
        if self.process is not None:
            _join(self.process)


def _join(process: Any) -> None:
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)


def _spawn(ctx: Any, count: int) -> list[_Worker]:
    """`count` workers started by a multiprocessing context (a forkserver under `scrapy
    crawl`)."""
    workers: list[_Worker] = []
    for _ in range(count):
        parent, child = socket.socketpair()
        # A forked child inherits the crawl-side sockets (its own and the earlier workers'):
        # it closes them, or no worker would see end-of-file when the crawl closes its side.
        process = ctx.Process(target=_serve, args=(child, [*(w.sock for w in workers), parent]),
                              daemon=True, name="rasad-worker")
        process.start()
        child.close()
        workers.append(_Worker(parent, process))
    return workers


class _Zygote:
    """A process forked before the reactor runs, while the crawl process has one thread and no
    connection, that forks the workers when the first article page needs one. An unchanged
    re-crawl (all 304) then pays for one idle fork, not for a pool; the workers still inherit
    the imported code (shared pages, as if forked from the crawl process)."""

    def __init__(self, ctx: Any, count: int) -> None:
        self.count = count
        parent, child = socket.socketpair()
        self.process = ctx.Process(target=_zygote, args=(child, parent), daemon=True,
                                   name="rasad-workers")
        self.process.start()
        child.close()
        self.sock = parent

    def workers(self) -> list[_Worker]:
        """Ask for the workers (once): each one's socket comes back over the control socket."""
        out: list[_Worker] = []
        try:
            self.sock.sendall(_HEADER.pack(self.count))
            for _ in range(self.count):
                _msg, fds, _flags, _addr = socket.recv_fds(self.sock, 1, 1)
                if not fds:
                    break
                out.append(_Worker(socket.socket(fileno=fds[0])))
        except OSError:
            log.warning("the worker processes could not be started; pages are processed in "
                        "the crawl process")
        return out

    def close(self) -> None:
        self.sock.close()  # the zygote reaps its workers (their sockets are closed) and exits
        _join(self.process)


def _zygote(sock: socket.socket, crawl_end: socket.socket) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl process's to handle
    crawl_end.close()
    children = []
    with sock:
        while (header := _receive_blocking(sock, _HEADER.size)) is not None:
            for _ in range(_HEADER.unpack(header)[0]):
                mine, theirs = socket.socketpair()
                pid = os.fork()
                if pid == 0:  # a worker: only its own socket open
                    try:
                        sock.close()
                        mine.close()
                        _serve(theirs, [])
                    finally:
                        os._exit(0)
                theirs.close()
                socket.send_fds(sock, [b"w"], [mine.fileno()])
                mine.close()
                children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)


_HEADER = struct.Struct("!I")


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError("worker closed its socket")
        got += n
    return bytes(buffer)


def _receive_blocking(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            return None
        got += n
    return bytes(buffer)


def _serve(sock: socket.socket, others: list[socket.socket]) -> None:
    """A worker process: page jobs in, results out, until the crawl process closes the socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl process's to handle
    for other in others:
        other.close()
    # The extraction code is imported with the first page: a re-crawl that finds nothing new
    # (all 304) then costs the workers no CPU while the crawl process starts.

    with sock:
        while True:
            header = _receive_blocking(sock, _HEADER.size)
            if header is None:
                return
            data = _receive_blocking(sock, _HEADER.unpack(header)[0])
            if data is None:
                return
            job = pickle.loads(data)
            try:
                result = process_page(job)
            except Exception:  # noqa: BLE001 - the page is counted as "error", the crawl goes on
                result = PageResult(None, "error")
            out = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            sock.sendall(_HEADER.pack(len(out)) + out)


class Pool:
    """The workers; at most IN_FLIGHT_PER_WORKER pages each at a time."""

    def __init__(self, workers: list[_Worker]) -> None:
        self.workers = workers
        self.slots: asyncio.Semaphore | None = None

    async def run(self, job: PageJob) -> PageResult:
        if self.slots is None:
            self.slots = asyncio.Semaphore(IN_FLIGHT_PER_WORKER * max(1, len(self.workers)))
        async with self.slots:
            alive = [w for w in self.workers if w.alive]
            if not alive:
                return process_page(job)
            worker = min(alive, key=lambda w: len(w.pending))
            try:
                return await worker.submit(job)
            except WorkerLost:
                log.warning("a worker process died; page %s processed in the crawl process",
                            job.url)
                return process_page(job)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def start(count: int, method: str = "fork") -> None:
    """Prepare the pool of `count` processes (0: none). `rasad crawl` calls it before the
    reactor runs: the zygote is forked then, from a process with one thread and no connection
    yet, and forks the workers at the first article page. Started later (`scrapy crawl`), the
    workers come from a forkserver at once."""
    global _pool, _zygote_process
    if _pool is not None or _zygote_process is not None or count <= 0:
        return
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "fork":
        _zygote_process = _Zygote(ctx, count)
    else:
        _pool = Pool(_spawn(ctx, count))
    atexit.register(shutdown)


def shutdown() -> None:
    global _pool, _zygote_process
    if _pool is not None:
        _pool.close()
    if _zygote_process is not None:
        _zygote_process.close()
    _pool = _zygote_process = None


async def run(job: PageJob, count: int) -> PageResult:
    """`process_page(job)` in the pool (started with `count` workers if not running yet), or
    inline when `count` is 0."""
    global _pool
    if count <= 0:
        return process_page(job)
    if _pool is None:
        if _zygote_process is not None:
            _pool = Pool(_zygote_process.workers())
        else:
            start(count, "forkserver")
    assert _pool is not None
    return await _pool.run(job)
