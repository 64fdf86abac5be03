"""Schema migrations: one SQL file per change in storage/migrations/, applied in order, each
once, in its own transaction, and recorded by file name in `schema_migrations`. Features own
their files, so an old store is brought forward on first open.

Order: the files of LEGACY (named before numbers were unique; stores record these names, so
they keep them) in that order, then `NNNN_name.sql` files by number. From 0007 on every number
is used once and is greater than the last (tests/test_migrations.py checks both)."""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from storage import turns
from storage.db_time import now_iso

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

LEGACY = (
    "0001_core.sql", "0002_dedup.sql", "0002_dedup_lsh.sql", "0003_alerts.sql",
    "0004_search.sql", "0004_search_contentless.sql", "0004_search_filter.sql",
    "0005_incremental.sql", "0006_views.sql",
)
NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """A migration file is misnamed or its number is not new."""


def migration_order(names: list[str]) -> list[str]:
    """LEGACY first, then the others by their number (unique, above the legacy ones)."""
    last = int(LEGACY[-1][:4])
    numbered: dict[int, str] = {}
    for name in names:
        if name in LEGACY:
            continue
        match = NAME.match(name)
        if not match:
            raise MigrationError(f"storage/migrations/{name}: name it NNNN_words.sql")
        number = int(match.group(1))
        if number <= last or number in numbered:
            taken = numbered.get(number, "an earlier migration")
            raise MigrationError(f"storage/migrations/{name}: number {number:04d} is taken "
                                 f"({taken}); use {max([last, *numbered]) + 1:04d}")
        numbered[number] = name
    return [n for n in LEGACY if n in names] + [numbered[k] for k in sorted(numbered)]


def migration_files() -> list[tuple[str, str]]:
    return list(_migration_files())


@lru_cache(maxsize=1)
def _migration_files() -> tuple[tuple[str, str], ...]:
    # Read once per process: a crawl connects to the store ~10 times as it starts.
    folder = resources.files("storage") / "migrations"
    files = {f.name: f for f in folder.iterdir() if f.name.endswith(".sql")}
    return tuple((name, files[name].read_text(encoding="utf-8"))
                 for name in migration_order(list(files)))


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; returns the names applied now."""
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, script in migration_files():
        if name in done:
            continue
        turns.begin(conn)
        try:
            # Another process may have applied it while we waited for the lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (name, applied) VALUES (?, ?)",
                         (name, now_iso()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            turns.ended(conn)
        applied.append(name)
    return applied


def statements(script: str) -> list[str]:
    """The script's statements, each whole (a trigger's BEGIN … END included), found by SQLite's
    own `complete_statement`: executescript() would COMMIT our transaction."""
    found, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer)
            buffer = ""
    if _code(buffer):
        raise MigrationError(f"unterminated statement: {buffer.strip()[:80]}")
    return [s.strip() for s in found if _code(s)]


def _code(text: str) -> str:
    """`text` without `--` comment lines and blanks (a chunk of only those is no statement)."""
    return "\n".join(ln for ln in text.splitlines()
                     if ln.strip() and not ln.strip().startswith("--"))
