"""The worker pool's processes and sockets (crawler/components/workers.py has the pool itself and
the work): each worker has one socket to the crawl process, length-prefixed pickled messages
both ways, forked from a zygote (`rasad crawl`) or started by a multiprocessing context."""
from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import socket
import struct
from collections import deque
from typing import Any

log = logging.getLogger(__name__)
_HEADER = struct.Struct("!I")


# --- the processes and their sockets -------------------------------------------------------
# Not concurrent.futures.ProcessPoolExecutor: its feeder and manager threads pickle and unpickle
# in the crawl process, and every GIL hand-over with them stalled the reactor thread (measured:
# ~3 ms per page in the executor's wake-up write alone). Here each worker has one socket that the
# reactor's own event loop reads and writes; the crawl process runs no extra thread.

class WorkerLost(RuntimeError):
    """A worker process died with pages in flight."""


class Worker:
    """One worker process seen from the crawl process: its socket, read and written through an
    asyncio transport of the reactor's loop (no future or reader registration per message), and
    the results it owes, in the order the pages were sent."""

    def __init__(self, sock: socket.socket, process: Any = None) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.process = process  # None: a child of the zygote, which reaps it
        self.pending: deque[asyncio.Future[Any]] = deque()
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

    async def submit(self, job: Any) -> Any:
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
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
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

    def __init__(self, worker: Worker) -> None:
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


def spawn(ctx: Any, count: int) -> list[Worker]:
    """`count` workers started by a multiprocessing context (a forkserver under `scrapy
    crawl`)."""
    workers: list[Worker] = []
    for _ in range(count):
        parent, child = socket.socketpair()
        # A forked child inherits the crawl-side sockets (its own and the earlier workers'):
        # it closes them, or no worker would see end-of-file when the crawl closes its side.
        process = ctx.Process(target=_serve, args=(child, [*(w.sock for w in workers), parent]),
                              daemon=True, name="rasad-worker")
        process.start()
        child.close()
        workers.append(Worker(parent, process))
    return workers


class Zygote:
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

    def workers(self) -> list[Worker]:
        """Ask for the workers (once): each one's socket comes back over the control socket."""
        out: list[Worker] = []
        try:
            self.sock.sendall(_HEADER.pack(self.count))
            for _ in range(self.count):
                _msg, fds, _flags, _addr = socket.recv_fds(self.sock, 1, 1)
                if not fds:
                    break
                out.append(Worker(socket.socket(fileno=fds[0])))
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
    from crawler.components.workers import PageJob, PageResult, process_page

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
