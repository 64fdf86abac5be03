"""The full-text index (articles_fts) and searching it.

Writes: `SearchListener` indexes each new or updated article inside the article's own write
transaction (listed in the RASAD_STORE_LISTENERS setting); in a write batch (storage/batch.py)
at its end, before the commit. Triggers from
0004_search_contentless.sql put every inserted, re-written or deleted article into
`search_pending` and the indexer takes it out, so
anything that bypassed the listener (a store created before the search migration, a writer
without listeners) is visible and caught up by `catch_up()` — which `rasad search`, `export` and
`serve` run before reading. `reindex()` rebuilds every row (after a change of the normaliser).

Reads: `search()` ranks with bm25 over the normalised columns and shows snippets cut from the
ORIGINAL text (storage.search_query explains the index and the query language).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.batch import before_commit
from storage.db import StoreError, connect, connect_readonly, transaction
from storage.filters import ArticleFilter
from storage.record import Article
from storage.schema import migration_files
from storage.search_query import (
    RANK,
    ParsedQuery,
    fts_expression,
    index_columns,
    normaliser_fingerprint,
    parse,
)
from storage.snippets import exact_counter, snippet

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

_BATCH = 500
RERANK = 20  # extra candidates considered by the exact-spelling re-ranking


# --- writing --------------------------------------------------------------------------------------
_INSERT = ("INSERT INTO articles_fts (rowid, title, body, title_k, body_k) "
           "VALUES (?, ?, ?, ?, ?)")
# A contentless FTS5 table forgets a row only when given the very words it indexed.
_DELETE = ("INSERT INTO articles_fts (articles_fts, rowid, title, body, title_k, body_k) "
           "VALUES ('delete', ?, ?, ?, ?, ?)")


Known = tuple[str, str, tuple[str, str, str, str]]


def index_article(conn: sqlite3.Connection, article_id: int, known: Known | None = None) -> None:
    """Bring one article's index row up to date with its stored text (inside the caller's
    transaction). search_pending says what the index holds now (see 0004_search_contentless.sql);
    no pending row means it is already up to date. `known` = (title, body, their
    `index_columns`) computed beforehand, used when the stored text is that one."""
    index_articles(conn, [(article_id, known)])


def index_articles(conn: sqlite3.Connection, items: list[tuple[int, Known | None]]) -> None:
    """`index_article` for many articles at once ((article id, known) each; for an article
    met twice the later `known` counts, and either is used only if it is the stored text): a
    few statements for a whole write batch instead of four per article."""
    known = dict(items)
    ids = json.dumps(list(known))
    rows = conn.execute(
        "SELECT p.article_id, p.indexed, p.title, p.body, a.id, a.title, a.body "
        "FROM search_pending p "
        "LEFT JOIN articles a ON a.id = p.article_id "
        "WHERE p.article_id IN (SELECT value FROM json_each(?))", (ids,)).fetchall()
    if not rows:
        return
    deletes, inserts = [], []
    for article_id, indexed, old_title, old_body, stored, title, body in rows:
        if indexed:
            deletes.append((article_id, *index_columns(old_title, old_body)))
        if stored is not None:
            k = known[article_id]
            inserts.append((article_id, *(k[2] if k and (k[0], k[1]) == (title, body)
                                          else index_columns(title, body))))
    conn.executemany(_DELETE, deletes)
    conn.executemany(_INSERT, inserts)
    conn.execute("DELETE FROM search_pending WHERE article_id IN (SELECT value FROM json_each(?))",
                 (ids,))


class SearchListener:
    """ArticleStore listener: the article and its index row commit (or roll back) together.
    It reads the stored row, not `article`, so it is right whether it runs before or after an
    update of the row (the triggers record what the index holds either way)."""

    @staticmethod
    def prepare(article: Article, context: object = None) -> tuple[str, str, str, str]:
        """The index words of the article (a crawl's worker process computes them)."""
        return index_columns(article.title, article.body)

    def article_written(
        self, conn: sqlite3.Connection, article_id: int, article: Article, status: str,
        prepared: tuple[str, str, str, str] | None = None,
    ) -> None:
        known = (article.title, article.body, prepared) if prepared else None
        # In a write batch the index rows are written after its last article, all at once, just
        # before its commit: FTS5 writes its pending terms out as a new segment at every
        # savepoint, so indexing inside each article's savepoint made one segment (and merges)
        # per article.
        if not before_commit(conn, index_articles, (article_id, known)):
            index_article(conn, article_id, known)


def catch_up(db: sqlite_utils.Database, batch: int = _BATCH) -> int:
    """Index every article in `search_pending`; returns how many rows it processed. Short
    transactions, so a crawl writing at the same time waits at most one batch."""
    done = 0
    while True:
        with transaction(db) as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT article_id FROM search_pending ORDER BY article_id LIMIT ?", (batch,))]
            for article_id in ids:
                index_article(conn, article_id)
        if not ids:
            # Record the normaliser of a new index; a different recorded one is reindex()'s.
            _set_meta(db, "normaliser", normaliser_fingerprint(), replace=False)
            return done
        done += len(ids)


def reindex(db: sqlite_utils.Database, batch: int = _BATCH) -> int:
    """Rebuild the whole index with the current normaliser (after a change of it, the words
    stored for old rows are unknown, so everything goes). Searches meanwhile see only the
    articles already re-indexed."""
    with transaction(db) as conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
        conn.execute("DELETE FROM search_pending")
        conn.execute("INSERT INTO search_pending (article_id) SELECT id FROM articles")
    done = catch_up(db, batch)
    _set_meta(db, "normaliser", normaliser_fingerprint())
    with transaction(db) as conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    return done


def _set_meta(db: sqlite_utils.Database, key: str, value: str, replace: bool = True) -> None:
    on_conflict = "DO UPDATE SET value = excluded.value" if replace else "DO NOTHING"
    with transaction(db) as conn:
        conn.execute(f"INSERT INTO search_meta (key, value) VALUES (?, ?) "
                     f"ON CONFLICT(key) {on_conflict}", (key, value))


# --- opening a store for reading ------------------------------------------------------------------
def open_for_reading(path: str | Path, warn: Any = None) -> sqlite_utils.Database:
    """A read-only connection to an up-to-date store: if migrations or index rows are missing
    (an older store, a writer that bypassed the listener) or the index was built by another
    Arabic normaliser, bring it forward first with a short-lived writer connection.
    `warn(message)` hears about slow or impossible upkeep."""
    path = Path(path)
    ro = connect_readonly(path)
    try:
        state = _index_state(ro.conn)
    except sqlite3.DatabaseError as exc:
        raise sqlite3.DatabaseError(f"{path}: not a rasad store ({exc})") from None
    if state is None:
        return ro
    ro.conn.close()
    need, reason = state
    try:
        db = connect(path)
    except (sqlite3.OperationalError, StoreError) as exc:  # read-only file or directory
        if warn and reason:
            warn(f"{path}: {reason}, and the store cannot be written ({exc}); "
                 "search results may be incomplete")
        return connect_readonly(path)
    try:
        if need == "rebuild":
            if warn:
                warn(f"{path}: {reason}: rebuilding the search index")
            reindex(db)
        else:
            n = catch_up(db)
            if warn and n > 1000:
                warn(f"{path}: indexed {n} articles for search")
    except sqlite3.OperationalError as exc:  # opened, but read-only (a write is the first sign)
        if warn and reason:
            warn(f"{path}: {reason}, and the store cannot be written ({exc}); "
                 "search results may be incomplete")
    finally:
        db.conn.close()
    return connect_readonly(path)


def _index_state(conn: sqlite3.Connection) -> tuple[str, str] | None:
    applied = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    missing = [name for name, _ in migration_files() if name not in applied]
    if missing:
        return "catch-up", f"schema is older than this rasad (missing {', '.join(missing)})"
    built = conn.execute("SELECT value FROM search_meta WHERE key = 'normaliser'").fetchone()
    if built is not None and built[0] != normaliser_fingerprint():
        return "rebuild", "the Arabic normalisation changed since the index was built"
    if conn.execute("SELECT EXISTS (SELECT 1 FROM search_pending)").fetchone()[0]:
        return "catch-up", "articles not yet indexed for search"
    if built is None:
        return "catch-up", ""  # only the fingerprint to record: nothing to warn about
    return None


# --- searching ------------------------------------------------------------------------------------
@dataclass
class Hit:
    id: int
    url: str
    title: str
    outlet: str
    published: str | None
    first_seen: str
    score: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def search(conn: sqlite3.Connection, query: str | ParsedQuery,
           where: ArticleFilter | None = None, limit: int = 20, offset: int = 0,
           mark: tuple[str, str] = ("**", "**"), words: int = 30) -> list[Hit]:
    """Ranked articles matching `query` (raises search_query.QueryError on an empty query).

    bm25 ranks the matches on their keys; among the best `limit + RERANK` of them, articles
    that spell the query words as typed go before those matched only by a name variant."""
    parsed = parse(query) if isinstance(query, str) else query
    clauses, params = (where or ArticleFilter()).sql(conn, alias="x")
    # The filters read a narrow covering index, not the article rows: thousands of matches
    # are filtered without touching their bodies (the planner prefers the primary key).
    sql = (
        "SELECT a.id, a.url, a.title, a.outlet, a.published, a.first_seen, a.body, top.rank "
        f"FROM (SELECT articles_fts.rowid AS id, {RANK} AS rank FROM articles_fts "
        "JOIN articles x INDEXED BY articles_search_filter ON x.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ?" + "".join(f" AND {c}" for c in clauses)
        + " ORDER BY rank LIMIT ?) AS top JOIN articles a ON a.id = top.id ORDER BY top.rank"
    )
    rows = conn.execute(sql, [fts_expression(parsed), *params, offset + limit + RERANK]).fetchall()
    exact = exact_counter(parsed)
    rows.sort(key=lambda r: -exact(f"{r[2]}\n{r[6]}"))  # stable: bm25 order within a level
    hits = []
    for id_, url, title, outlet, published, first_seen, body, rank in rows[offset:offset + limit]:
        text = snippet(body, parsed, words, mark)
        if mark[0] not in text:  # matched in the title only
            text = snippet(title, parsed, words, mark)
        hits.append(Hit(id_, url, title, outlet, published, first_seen, round(-rank, 3), text))
    return hits
