"""Taking the store's write lock in turns when several processes write to it.

SQLite lets one writer in at a time and leaves the others to its busy handler, which sleeps and
tries again (every 100 ms after the first second). A process that writes without pause (a crawl
commits a batch every 0.25 s and begins the next one at once when articles are waiting) frees
the lock for a few microseconds between two transactions: a second process almost never tries
at that moment and can be kept out past its busy timeout (measured: a waiter kept out 8 s by one
continuous writer, 3 s by two crawls of the small mirror). Hence turns:

- a writer first tries `BEGIN IMMEDIATE` without waiting; if the lock is taken it says it is
  waiting (a shared `flock` on the side file `<store>-writers`) and tries again every few
  milliseconds until it gets the lock or its busy timeout has passed;
- a writer that ends a write transaction while another process is waiting (it cannot take the
  side file's exclusive lock) lets the waiters in before its own next `BEGIN`: it waits until
  no process waits any more, at most its busy timeout.

Nothing else changes: the lock is still SQLite's own, and a store whose folder cannot hold the
side file (or a `:memory:` one) is written as before, without turns. A process that dies while
waiting releases its `flock` with it."""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_SUFFIX = "-writers"
_STEPS = (0.0005, 0.001, 0.002, 0.005)  # waits between tries, then the last one each time
_owed: set[str] = set()  # side files whose waiters this process lets in before its next BEGIN
_probes: dict[str, int] = {}  # side file → descriptor this process looks for waiters with
# id(connection) → (connection, its side file, its busy timeout in ms): asked once, not twice a
# transaction (connections cannot be weakly referenced; the last few are kept).
_known: dict[int, tuple[sqlite3.Connection, str | None, int]] = {}
_KNOWN_MAX = 32


def side_file(conn: sqlite3.Connection) -> str | None:
    return _facts(conn)[1]


def _facts(conn: sqlite3.Connection) -> tuple[sqlite3.Connection, str | None, int]:
    facts = _known.get(id(conn))
    if facts is not None and facts[0] is conn:
        return facts
    side = None
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main" and file:
            side = f"{file}{_SUFFIX}"
    timeout_ms = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    if len(_known) >= _KNOWN_MAX:
        _known.clear()  # one step, safe with the web view's threads
    facts = _known[id(conn)] = (conn, side, timeout_ms)
    return facts


def begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE on `conn`, in turn with the other processes writing to its store. Raises
    what SQLite raised ("database is locked" once the connection's busy timeout has passed)."""
    _conn, side, timeout_ms = _facts(conn)
    deadline = time.monotonic() + timeout_ms / 1000
    if side is None:
        conn.execute("BEGIN IMMEDIATE")
        return
    if side in _owed:
        _owed.discard(side)
        _let_waiters_in(side, deadline)
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        fd = _open(side)
        try:
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_SH)  # "waiting", until closed below
            while_locked(lambda: conn.execute("BEGIN IMMEDIATE"), deadline)
        finally:
            if fd >= 0:
                os.close(fd)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def ended(conn: sqlite3.Connection) -> None:
    """A write transaction on `conn` ended (committed or rolled back): if another process is
    waiting for the lock, this process's next BEGIN lets it in first."""
    side = side_file(conn)
    if side is None or side in _owed:
        return
    fd = _probes.get(side)
    if fd is None:
        fd = _open(side)
        if fd < 0:
            return
        _probes[side] = fd
    if not _exclusive(fd):
        _owed.add(side)


def while_locked(statement: Callable[[], T], deadline: float) -> T:
    """`statement()`, tried again every few milliseconds while SQLite answers that the store is
    locked or busy, until `deadline` (time.monotonic()); then its error."""
    step = 0
    while True:
        try:
            return statement()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                raise
        _pause(step)
        step += 1


def _let_waiters_in(side: str, deadline: float) -> None:
    fd = _probes.get(side)
    if fd is None:
        return
    step = 0
    while not _exclusive(fd) and time.monotonic() < deadline:
        _pause(step)
        step += 1


def _pause(step: int) -> None:
    time.sleep(_STEPS[min(step, len(_STEPS) - 1)])


def _open(side: str) -> int:
    """A new descriptor of the side file (each its own flock), or -1 when the folder refuses
    it: a folder that takes the store's files but not this one is written without turns."""
    try:
        return os.open(side, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return -1


def _exclusive(fd: int) -> bool:
    """True when no process holds the side file shared (nobody is waiting)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text
