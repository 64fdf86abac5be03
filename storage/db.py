"""Opening the SQLite store: WAL, busy timeout, foreign keys, migrations; read-only for readers."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage import turns
from storage.db_time import now_iso
from storage.schema import migrate

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["LazyDatabase", "StoreError", "check_writable", "configure", "connect",
           "connect_readonly", "describe", "flush_batches", "now_iso", "rollback", "transaction"]


# How long a writer waits for another one's lock before the write fails (milliseconds); the
# process sets it once from the RASAD_BUSY_TIMEOUT setting (configure()).
BUSY_TIMEOUT_MS = 30_000


def configure(busy_timeout: float | None = None) -> None:
    """Set the busy timeout (seconds) of the connections opened from now on."""
    global BUSY_TIMEOUT_MS
    if busy_timeout is not None and busy_timeout >= 0:
        BUSY_TIMEOUT_MS = int(busy_timeout * 1000)


# storage.batch.Batch objects with a write transaction open in this process (holding the lock).
OPEN_BATCHES: list[Any] = []


def flush_batches() -> None:
    """Commit every open batch of this process (storage/batch.py) before another write
    transaction begins: that one would otherwise wait for a lock its own process holds."""
    for batch in list(OPEN_BATCHES):
        batch.flush()


class StoreError(Exception):
    """The store cannot be opened, read or written; the message names the file and the cause."""

    def __init__(self, path: str | Path, cause: BaseException | str) -> None:
        self.path = str(path)
        # The user named the wrong file (a directory, random bytes) rather than a store failing.
        self.usage = "not a database" in str(cause) or "is a directory" in str(cause)
        super().__init__(f"store {path}: {describe(cause)}")


# SQLite's messages, as an operator would want to read them.
_CAUSES = (
    ("readonly", "cannot write: the file or its folder is read-only"),
    ("read-only", "cannot write: the file or its folder is read-only"),
    ("disk is full", "cannot write: the disk is full"),
    ("database is locked", "cannot write: another process held the lock longer than the busy "
                           "timeout ({timeout:g} s, RASAD_BUSY_TIMEOUT)"),
    ("not a database", "not a rasad store (not an SQLite database, or corrupt)"),
    ("malformed", "the database file is corrupt"),
    ("unable to open", "cannot open the file (missing folder, a directory, or no permission; a "
                       "store's folder must be writable)"),
    ("disk i/o error", "disk I/O error (full, removed or failing disk?)"),
)


def describe(cause: BaseException | str) -> str:
    text = str(cause)
    lower = text.lower()
    for needle, meaning in _CAUSES:
        if needle in lower:
            return f"{meaning.format(timeout=BUSY_TIMEOUT_MS / 1000)} ({text})"
    return text


class LazyDatabase:
    """What `connect()` returns: a `sqlite_utils.Database` whose library is imported, and the
    Database made, only when a caller uses more than `.conn` (`db["table"]`, `db.query`, …). A
    crawl's own reads and writes all use `.conn`, so a crawl process does not import
    sqlite-utils before its first request (~25 ms); the connection is set as the Database sets
    it (recursive triggers on) from the start."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers = on")

    def _database(self) -> sqlite_utils.Database:
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def __getattr__(self, name: str) -> Any:  # only for what this class does not have
        if name.startswith("__") or name == "_db":
            raise AttributeError(name)
        return getattr(self._database(), name)

    def __getitem__(self, table: str) -> Any:
        return self._database()[table]

    def __enter__(self) -> LazyDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def __repr__(self) -> str:
        return f"<LazyDatabase {self.conn!r}>"


def connect(path: str | Path) -> sqlite_utils.Database:
    """A writer connection: creates the file and brings the schema up to date.

    Autocommit mode (isolation_level=None) so that transactions are explicit (`BEGIN IMMEDIATE`
    in `transaction()`): a writer takes the lock before reading what it will change."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(path, "is a directory, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL mode
        conn.execute("PRAGMA foreign_keys = ON")
        db = LazyDatabase(conn)
        migrate(db)  # type: ignore[arg-type]
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(path, exc) from None
    return db  # type: ignore[return-value]


def wal(conn: sqlite3.Connection) -> None:
    """PRAGMA journal_mode = WAL. While another process is creating the same new store, SQLite
    answers "database is locked" at once, without waiting (14 of 60 processes opening one new
    file three at a time failed so): try again, for up to the busy timeout."""
    turns.while_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"),
                       time.monotonic() + BUSY_TIMEOUT_MS / 1000)


def connect_readonly(path: str | Path) -> sqlite_utils.Database:
    """A reader connection that cannot write (analysts, status, exports)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"database not found: {path}")
    if path.is_dir():
        raise StoreError(path, "is a directory, not a database file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # not a database: now
    except sqlite3.Error as exc:
        raise StoreError(path, exc) from None
    import sqlite_utils

    return sqlite_utils.Database(conn)


def check_writable(db: sqlite_utils.Database) -> None:
    """Raise now (sqlite3.Error) if the store cannot take a write: read-only file, a lock held
    past the busy timeout. BEGIN IMMEDIATE alone succeeds on a read-only file in WAL mode; a
    row written and rolled back does not."""
    conn = db.conn
    flush_batches()
    turns.begin(conn)
    try:
        conn.execute("INSERT INTO schema_migrations (name, applied) VALUES (?, ?)",
                     ("~write check", now_iso()))
    finally:
        rollback(conn)
        turns.ended(conn)


class transaction:  # noqa: N801 - used as a context manager, reads like `with transaction(db):`
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn

    def __enter__(self) -> sqlite3.Connection:
        flush_batches()
        turns.begin(self.conn)
        return self.conn

    def __exit__(self, exc_type: object, exc: object, _tb: object) -> None:
        try:
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error:
                    # A commit that failed (disk full, I/O error) leaves nothing of it.
                    self._rollback()
                    raise
            else:
                self._rollback()
        finally:
            turns.ended(self.conn)

    def _rollback(self) -> None:
        rollback(self.conn)


def rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK, quietly: SQLite may have rolled back already (a full disk, an I/O error); then
    ROLLBACK itself fails, and the original error is the one worth reporting."""
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass
