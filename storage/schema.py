"""Schema and migrations. `PRAGMA user_version` is the applied migration count; each migration
runs once, in its own transaction, so an old store is brought forward on first open."""
from __future__ import annotations

import sqlite_utils

MIGRATIONS: list[str] = [
    # 1: the walking skeleton
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        outlet TEXT NOT NULL,
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        published TEXT,
        published_source TEXT,
        author TEXT,
        language TEXT,
        section TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        image TEXT,
        caption TEXT,
        date_flags TEXT NOT NULL DEFAULT '[]',
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        run_id INTEGER REFERENCES crawl_runs(id)
    );
    CREATE INDEX articles_outlet_published ON articles(outlet, published);
    CREATE INDEX articles_first_seen ON articles(first_seen);
    CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        outlet TEXT NOT NULL,
        first_seen TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX article_urls_outlet ON article_urls(outlet);
    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        outlet TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT,
        outcome TEXT NOT NULL DEFAULT 'running',
        reason TEXT,
        pid INTEGER,
        requests INTEGER NOT NULL DEFAULT 0,
        pages_fetched INTEGER NOT NULL DEFAULT 0,
        responses_304 INTEGER NOT NULL DEFAULT 0,
        articles_new INTEGER NOT NULL DEFAULT 0,
        articles_duplicate INTEGER NOT NULL DEFAULT 0,
        extract_failures INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        errors_by_kind TEXT NOT NULL DEFAULT '{}',
        stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX crawl_runs_outlet_started ON crawl_runs(outlet, started);
    """,
]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations; returns the schema version."""
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction; split on ';' instead (no ';' inside literals).
    return [s.strip() for s in script.split(";") if s.strip()]
