"""The LSH band index behind near-duplicate lookups, with a write cost that does not grow with
the store.

Every fingerprinted article has BANDS (42) band keys. Written one article per transaction
straight into one B-tree keyed by band, those 42 random keys land on 42 different leaf pages
once the index is larger than a few dozen pages: every commit then writes ~42 pages to the WAL
and the checkpoints write them back: ingest into a 10,000-article store already ran at half the
speed of ingest into an empty one, and fell further with size. Hence two levels, as in an LSM
tree:

- `article_bands` (main): (band_key, article_id) for every article with id ≤ the merge mark
  `dedup_state.bands_merged_upto`;
- the delta: the articles above the mark. Their keys are not written to the store (the articles
  table already holds each fingerprint, in id order): each writer connection keeps them in an
  attached in-memory database (`rasad_lsh`), loaded from those rows and kept current by reading
  the ids above what it has seen, at the start of each write transaction. Being part of the
  connection, it commits and rolls back with the article's transaction.

When the delta reaches MERGE_SHARE of the main level (at least MERGE_MIN, at most MERGE_MAX
articles), the article that crosses the line merges it: the delta's keys are inserted into the
main B-tree in key order (each leaf written once) and the mark moves, in that article's
transaction. The amortised cost per article is then about
(leaves of main) / (delta size), a constant up to MERGE_MAX / MERGE_SHARE (200,000) articles;
beyond that merges come every MERGE_MAX articles and their cost grows with the store (a third
level would fix that).

An article whose fingerprint changes (a new version, the backfill of an old store) is written
to the main level directly (old keys deleted, new ones inserted): rare, so random writes are
fine there.
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

from storage import fingerprint as fp

MERGE_MIN = 1000
MERGE_SHARE = 0.1
MERGE_MAX = 20000
_MARK = "bands_merged_upto"
_DB = "rasad_lsh"


def merged_upto(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM dedup_state WHERE name = ?", (_MARK,)).fetchone()
    return row[0] if row else 0


def merge_size(main_upto: int) -> int:
    return int(min(MERGE_MAX, max(MERGE_MIN, MERGE_SHARE * main_upto)))


class BandIndex:
    """One writer connection's view of the band index (see the module docstring). Create it
    outside a transaction: it attaches the in-memory delta to `conn`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        if _DB not in {row[1] for row in conn.execute("PRAGMA database_list")}:
            conn.execute(f"ATTACH DATABASE ':memory:' AS {_DB}")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {_DB}.delta (band_key INTEGER NOT NULL, "
                     "article_id INTEGER NOT NULL, PRIMARY KEY (band_key, article_id)) "
                     "WITHOUT ROWID")
        # base: the merge mark the delta was built on; seen: highest article id read into it;
        # members: fingerprinted articles in it. Here, not in Python, so a rollback undoes them.
        conn.execute(f"CREATE TABLE IF NOT EXISTS {_DB}.state (name TEXT PRIMARY KEY, "
                     "value INTEGER NOT NULL)")
        conn.execute(f"INSERT OR IGNORE INTO {_DB}.state VALUES ('base', -1), ('seen', 0), "
                     "('members', 0)")

    # --- keeping the delta current -----------------------------------------------------------
    def sync(self, conn: sqlite3.Connection) -> None:
        """Call at the start of a write transaction (under its lock)."""
        # One read for the delta's state, the merge mark and the last article (called before
        # every article of a batch, where nothing has changed since the previous one).
        base, seen, mark, top = conn.execute(_SYNC, (_MARK,)).fetchone()
        if mark != base:
            conn.execute(f"DELETE FROM {_DB}.delta")
            base = seen = mark
            self._put(conn, base=mark, seen=mark, members=0)
        if top > seen:
            rows = conn.execute(
                "SELECT id, fingerprint FROM articles WHERE id > ? AND fingerprint IS NOT NULL "
                "ORDER BY id", (seen,)).fetchall()
            for article_id, signature in rows:
                self._add(conn, article_id, signature)
            self._count(conn, len(rows), top)

    def _state(self, conn: sqlite3.Connection) -> tuple[int, int, int]:
        values = dict(conn.execute(f"SELECT name, value FROM {_DB}.state").fetchall())
        return values["base"], values["seen"], values["members"]

    def _put(self, conn: sqlite3.Connection, **values: int) -> None:
        conn.executemany(f"UPDATE {_DB}.state SET value = ? WHERE name = ?",
                         [(v, k) for k, v in values.items()])

    def _add(self, conn: sqlite3.Connection, article_id: int, signature: bytes,
             keys: tuple[int, ...] | None = None) -> None:
        """The article's keys into the delta (its caller counts it: `_count`)."""
        keys = keys or fp.band_keys(signature)
        # One statement for the article's keys (an executemany of 42 rows cost ~3x more)
        conn.execute(_insert_delta(len(keys)), [x for k in keys for x in (k, article_id)])

    def _count(self, conn: sqlite3.Connection, added: int, seen: int) -> None:
        """`added` more members, and `seen` at least `seen`: one statement."""
        conn.execute(f"UPDATE {_DB}.state SET value = CASE name WHEN 'members' THEN value + ? "
                     "ELSE max(value, ?) END WHERE name IN ('members', 'seen')", (added, seen))

    def _remove(self, conn: sqlite3.Connection, article_id: int, signature: bytes) -> None:
        conn.executemany(f"DELETE FROM {_DB}.delta WHERE band_key = ? AND article_id = ?",
                         [(k, article_id) for k in fp.band_keys(signature)])
        conn.execute(f"UPDATE {_DB}.state SET value = value - 1 WHERE name = 'members'")

    # --- reads -------------------------------------------------------------------------------
    def candidates(self, conn: sqlite3.Connection, signature: bytes, limit: int,
                   keys: tuple[int, ...] | None = None) -> list[tuple[Any, ...]]:
        """The `limit` fingerprinted articles sharing the most bands with `signature` (whose
        band keys are `keys`, if known; ties: the oldest), as (id, story, outlet, fingerprint,
        content hash), in one statement."""
        keys = keys or fp.band_keys(signature)
        return conn.execute(_candidates(len(keys)), [*keys, *keys, limit]).fetchall()

    # --- writes ------------------------------------------------------------------------------
    def add(self, conn: sqlite3.Connection, article_id: int, signature: bytes | None,
            keys: tuple[int, ...] | None = None) -> None:
        """A new article (id above everything synced) with this fingerprint (and its band keys,
        if known)."""
        base, seen, members = self._state(conn)
        added = 0
        if signature is not None:
            if article_id <= base:  # cannot happen for a new row; kept for safety
                _write_main(conn, _INSERT, article_id, signature)
            else:
                self._add(conn, article_id, signature, keys)
                added = 1
        if added or article_id > seen:
            self._count(conn, added, article_id)
        if members + added >= merge_size(base):
            self.merge(conn)

    def replace(self, conn: sqlite3.Connection, article_id: int, old: bytes | None,
                new: bytes | None) -> None:
        """A stored article's fingerprint changed (a new version; the backfill of an old store).
        Written to the main level directly, whatever the id: other writers' deltas may hold the
        old keys and merge them later, which leaves a stray candidate, never a missed one."""
        base, seen, _ = self._state(conn)
        if old is not None and base < article_id <= seen:
            self._remove(conn, article_id, old)
        _write_main(conn, "DELETE FROM article_bands WHERE band_key = ? AND article_id = ?",
                    article_id, old)
        _write_main(conn, _INSERT, article_id, new)

    def merge(self, conn: sqlite3.Connection) -> int:
        """Move the whole delta into the main level (inside the caller's transaction), in key
        order so each leaf of the main B-tree is written once."""
        base, seen, members = self._state(conn)
        conn.execute(f"INSERT INTO article_bands (band_key, article_id) SELECT band_key, "
                     f"article_id FROM {_DB}.delta ORDER BY band_key, article_id "
                     "ON CONFLICT DO NOTHING")
        conn.execute("INSERT INTO dedup_state (name, value) VALUES (?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (_MARK, seen))
        conn.execute(f"DELETE FROM {_DB}.delta")
        self._put(conn, base=seen, members=0)
        return members


_INSERT = ("INSERT INTO article_bands (band_key, article_id) VALUES (?, ?) "
           "ON CONFLICT DO NOTHING")
_SYNC = (f"SELECT (SELECT value FROM {_DB}.state WHERE name = 'base'), "
         f"(SELECT value FROM {_DB}.state WHERE name = 'seen'), "
         "coalesce((SELECT value FROM dedup_state WHERE name = ?), 0), "
         "coalesce((SELECT max(id) FROM articles), 0)")


@lru_cache(maxsize=4)
def _insert_delta(n: int) -> str:
    return f"INSERT OR IGNORE INTO {_DB}.delta VALUES " + ", ".join("(?, ?)" for _ in range(n))


@lru_cache(maxsize=4)
def _candidates(n: int) -> str:
    marks = ", ".join("?" for _ in range(n))
    return ("SELECT a.id, coalesce(a.story_id, a.id), a.outlet, a.fingerprint, a.content_hash "
            "FROM (SELECT article_id FROM (SELECT article_id FROM main.article_bands "
            f"WHERE band_key IN ({marks}) UNION ALL SELECT article_id FROM {_DB}.delta "
            f"WHERE band_key IN ({marks})) GROUP BY article_id "
            "ORDER BY count(*) DESC, article_id LIMIT ?) AS c "
            "JOIN main.articles a ON a.id = c.article_id WHERE a.fingerprint IS NOT NULL")


def _write_main(conn: sqlite3.Connection, sql: str, article_id: int,
                signature: bytes | None) -> None:
    if signature is not None:
        conn.executemany(sql, [(k, article_id) for k in fp.band_keys(signature)])
