"""Schema migrations: one SQL file per change in storage/migrations/, applied in name order, each
once, in its own transaction, and recorded in `schema_migrations`. Features own their files
(0002_dedup.sql, 0003_alerts.sql, …), so an old store is brought forward on first open."""
from __future__ import annotations

from importlib import resources

import sqlite_utils

from storage.db_time import now_iso


def migration_files() -> list[tuple[str, str]]:
    folder = resources.files("storage") / "migrations"
    return sorted((f.name, f.read_text(encoding="utf-8"))
                  for f in folder.iterdir() if f.name.endswith(".sql"))


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
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while we waited for the lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (name, applied) VALUES (?, ?)",
                         (name, now_iso()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction. Split on ';' at line ends instead (keep
    # CREATE TRIGGER … BEGIN …; END; whole by writing its inner statements without a line-end ';').
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";")]
