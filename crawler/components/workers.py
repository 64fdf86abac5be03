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
    """One worker process seen from the crawl process: its socket, read and written through an
    asyncio transport of the reactor's loop (no future or reader registration per message), and
    the results it owes, in the order the pages were sent."""

    def __init__(self, sock: socket.socket, process: Any = None) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.process = process  # None: a child of the zygote, which reaps it
        self.pending: deque[asyncio.Future[PageResult]] = deque()
        self.transport: asyncio.Transport | None = None
        self.connecting: asyncio.Future[None] | None = None
        self.alive = True
        # The rules and listener contexts already sent to this worker: each crosses once and
        # later pages refer to it by number (objects kept alive here, so their ids stay theirs).
        self.contexts: dict[tuple[int, int], tuple[int, Any, Any]] = {}

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        if self.connecting is None:
            self.connecting = loop.create_future()
            try:
                await loop.connect_accepted_socket(lambda: _ResultReader(self), self.sock)
            finally:
                self.connecting.set_result(None)
        else:
            await asyncio.shield(self.connecting)

    async def submit(self, job: PageJob) -> PageResult:
        if self.transport is None:
            await self._connect()
        if not self.alive or self.transport is None:
            raise WorkerLost("worker process lost")
        key = (id(job.rules), id(job.listeners))
        context = self.contexts.get(key)
        frames = b""
        if context is None:
            context = self.contexts[key] = (len(self.contexts), job.rules, job.listeners)
            frames = _frame(("context", context[0], job.rules, job.listeners))
        frames += _frame((context[0], job.body, job.url, job.headers, job.outlet, job.first_seen))
        future: asyncio.Future[PageResult] = asyncio.get_running_loop().create_future()
        self.pending.append(future)
        self.transport.write(frames)  # buffered by the transport when the socket is full
        return await future

    def lost(self, exc: BaseException | None) -> None:
        self.alive = False
        while self.pending:
            future = self.pending.popleft()
            if not future.done():
                future.set_exception(WorkerLost(f"worker process lost: {exc!r}"))

    def close(self) -> None:
        self.alive = False
        if self.transport is not None:
            try:
                self.transport.abort()
            except RuntimeError:  # the loop is closed already
                pass
        self.sock.close()  # the worker reads end-of-file and exits
        if self.process is not None:
            _join(self.process)


class _ResultReader(asyncio.Protocol):
    """The crawl side of a worker's socket: length-prefixed pickled results, in order."""

    def __init__(self, worker: _Worker) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.worker.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while len(buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buffer)
            end = _HEADER.size + size
            if len(buffer) < end:
                return
            try:
                result = pickle.loads(buffer[_HEADER.size:end])
            except Exception as exc:  # noqa: BLE001 - a garbled stream: the worker is lost
                self.worker.lost(exc)
                self.worker.transport.abort()  # type: ignore[union-attr]
                return
            del buffer[:end]
            if not self.worker.pending:
                return
            future = self.worker.pending.popleft()
            if not future.done():
                future.set_result(result)

    def eof_received(self) -> bool:
        self.worker.lost(EOFError("worker closed its socket"))
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.lost(exc or EOFError("worker closed its socket"))


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


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

    contexts: dict[int, tuple[Any, Any]] = {}  # number → (rules, listeners), sent once each
    with sock:
        while True:
            header = _receive_blocking(sock, _HEADER.size)
            if header is None:
                return
            data = _receive_blocking(sock, _HEADER.unpack(header)[0])
            if data is None:
                return
            message = pickle.loads(data)
            if message[0] == "context":
                contexts[message[1]] = (message[2], message[3])
                continue
            number, body, url, headers, outlet, first_seen = message
            rules, listeners = contexts[number]
            try:
                result = process_page(PageJob(body, url, headers, rules, outlet, first_seen,
                                              listeners))
            except Exception:  # noqa: BLE001 - the page is counted as "error", the crawl goes on
                result = PageResult(None, "error")
            sock.sendall(_frame(result))


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
