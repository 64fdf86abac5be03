"""Several article writes in one transaction, each still whole on its own.

A crawl writes articles one by one as their pages come back; one transaction each costs a
BEGIN, a commit (the WAL frames of every page touched, the search index's new segment) and the
band index's catch-up read, per article. A `Batch` keeps one write transaction open across
writes and commits it after `max_writes` writes or when `max_seconds` have passed since it began
(its owner calls `flush()` then, and when it closes), whichever comes first.

- Each write runs in a SAVEPOINT: an article whose write fails leaves nothing of itself, and
  the articles before it in the batch stay (they commit with the batch).
- Work a write leaves for the commit (`before_commit`: the search index rows) runs in the same
  transaction after the batch's last write, just before COMMIT; if it fails the whole batch is
  rolled back, as when the commit itself fails.
- A crash or a kill loses only the writes not yet committed (at most one batch); the store stays
  consistent (SQLite's transaction) and those pages, not being stored, are fetched again by the
  next crawl.
- While a batch is open it holds the store's write lock. Any other write transaction started in
  the same process (`storage.db.transaction`, another connection: a run record, the incremental
  state) first commits the open batches (`storage.db.flush_batches`): it would otherwise wait on
  a lock that only this process's own event loop could release. Another process waits at most
  one batch (`max_seconds`) for the lock."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from storage import db as _db
from storage import turns as _turns

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")

MAX_WRITES = 32
MAX_SECONDS = 0.25


Work = Callable[[sqlite3.Connection, list[Any]], object]


def before_commit(conn: sqlite3.Connection, work: Work, item: object) -> bool:
    """Leave `item` to `work` at the end of the batch open on `conn`: `work(conn, items)` runs
    once, in the batch's transaction after its last write and before its COMMIT, with the items
    its writes left, in order (a write whose savepoint is rolled back takes its items with it).
    False when no batch is open on `conn`: the caller then does `work(conn, [item])` itself."""
    for batch in _db.OPEN_BATCHES:
        if batch.conn is conn:
            batch.later.append((work, item))
            return True
    return False


def batch_size(value: object = None) -> int:
    """RASAD_WRITE_BATCH as a number: empty → MAX_WRITES. ValueError (one line) if bad."""
    if value in ("", None):
        return MAX_WRITES
    try:
        size = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        size = 0
    if size < 1:
        raise ValueError(f"RASAD_WRITE_BATCH={value!r}: expected a number of articles per write "
                         "transaction (1 or more; empty = 32)")
    return size


class Batch:
    def __init__(self, db: sqlite_utils.Database, max_writes: int = MAX_WRITES,
                 max_seconds: float = MAX_SECONDS) -> None:
        self.conn = db.conn
        self.max_writes = max(1, max_writes)
        self.max_seconds = max_seconds
        self.writes = 0  # in the open transaction
        self.began: float | None = None  # time.monotonic() of BEGIN, None when none is open
        self.later: list[tuple[Work, object]] = []  # (work, item): run before COMMIT

    @property
    def open(self) -> bool:
        return self.began is not None

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`fn(conn)` inside the batch's transaction (begun if none is open), all or nothing;
        commits the batch when it is full or old enough."""
        if not self.open:
            _db.flush_batches()  # a batch of another connection of this process holds the lock
            _turns.begin(self.conn)
            self.began = time.monotonic()
            _db.OPEN_BATCHES.append(self)
        self.conn.execute("SAVEPOINT rasad_write")
        later = len(self.later)
        try:
            result = fn(self.conn)
        except BaseException:
            del self.later[later:]  # what the failed write left for the commit goes with it
            try:
                self.conn.execute("ROLLBACK TO rasad_write")
                self.conn.execute("RELEASE rasad_write")
            except sqlite3.Error:  # SQLite rolled the whole transaction back already
                self._ended()
            raise
        self.conn.execute("RELEASE rasad_write")
        self.writes += 1
        if self.due():
            self.flush()
        return result

    def due(self) -> bool:
        return self.open and (self.writes >= self.max_writes or
                              time.monotonic() - (self.began or 0.0) >= self.max_seconds)

    def flush(self) -> int:
        """Commit the open transaction, if any; returns how many writes it held. A commit that
        fails (disk full, I/O error) rolls the batch back and raises."""
        if not self.open:
            return 0
        writes = self.writes
        try:
            works: dict[Work, list[object]] = {}
            for work, item in self.later:
                works.setdefault(work, []).append(item)
            for work, items in works.items():
                work(self.conn, items)
            self.conn.execute("COMMIT")
        except BaseException:
            _db.rollback(self.conn)
            raise
        finally:
            self._ended()
        return writes

    def discard(self) -> None:
        """Roll the open transaction back (the store failed)."""
        if self.open:
            _db.rollback(self.conn)
            self._ended()

    def _ended(self) -> None:
        if self.began is not None:
            _turns.ended(self.conn)
        self.began = None
        self.writes = 0
        self.later = []
        if self in _db.OPEN_BATCHES:
            _db.OPEN_BATCHES.remove(self)
