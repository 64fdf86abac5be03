"""Opening the SQLite store: WAL, busy timeout, foreign keys, migrations; read-only for readers."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from storage.db_time import now_iso
from storage.schema import migrate

__all__ = ["connect", "connect_readonly", "now_iso", "transaction"]

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path) -> sqlite_utils.Database:
    """A writer connection: creates the file and brings the schema up to date.

    Autocommit mode (isolation_level=None) so that transactions are explicit (`BEGIN IMMEDIATE`
    in `transaction()`): a writer takes the lock before reading what it will change."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL mode
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


def connect_readonly(path: str | Path) -> sqlite_utils.Database:
    """A reader connection that cannot write (analysts, status, exports)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"database not found: {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return sqlite_utils.Database(conn)


class transaction:  # noqa: N801 - used as a context manager, reads like `with transaction(db):`
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, _tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
