"""The full-text index (articles_fts) and searching it.

Writes: `SearchListener` indexes each new or updated article inside the article's own write
transaction (registered in storage.articles.DEFAULT_LISTENERS). Triggers from 0004_search.sql
put every inserted or re-written article into `search_pending` and the indexer takes it out, so
anything that bypassed the listener (a store created before the search migration, a writer
without listeners) is visible and caught up by `catch_up()` — which `rasad search`, `export` and
`serve` run before reading. `reindex()` rebuilds every row (after a change of the normaliser).

Reads: `search()` ranks with bm25 over the normalised columns and shows snippets cut from the
ORIGINAL text (storage.search_query explains the index and the query language).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.article import Article
from storage.db import connect, connect_readonly, transaction
from storage.filters import ArticleFilter
from storage.schema import migration_files
from storage.search_query import RANK, ParsedQuery, fts_expression, index_columns, parse, snippet

_BATCH = 500


# --- writing --------------------------------------------------------------------------------------
def index_article(conn: sqlite3.Connection, article_id: int, title: str, body: str,
                  replace: bool = True) -> None:
    """Write the FTS row of one article (call inside the caller's transaction)."""
    if replace:
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, body, title_k, body_k) VALUES (?, ?, ?, ?, ?)",
        (article_id, *index_columns(title, body)),
    )
    conn.execute("DELETE FROM search_pending WHERE article_id = ?", (article_id,))


class SearchListener:
    """ArticleStore listener: the article and its FTS row commit (or roll back) together."""

    def article_written(
        self, conn: sqlite3.Connection, article_id: int, article: Article, status: str
    ) -> None:
        index_article(conn, article_id, article.title, article.body, replace=status != "new")


def search_listener() -> SearchListener:
    return SearchListener()


def pending_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM search_pending").fetchone()[0]


def catch_up(db: sqlite_utils.Database, batch: int = _BATCH) -> int:
    """Index every article in `search_pending`; returns how many. Short transactions, so a
    crawl writing at the same time waits at most one batch."""
    done = 0
    while True:
        with transaction(db) as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT article_id FROM search_pending ORDER BY article_id LIMIT ?", (batch,))]
            if not ids:
                return done
            marks = ",".join("?" * len(ids))
            rows = conn.execute(
                f"SELECT id, title, body FROM articles WHERE id IN ({marks})", ids).fetchall()
            for article_id, title, body in rows:
                index_article(conn, article_id, title, body)
            # Pending ids whose article is gone (deleted meanwhile): nothing to index.
            conn.execute(f"DELETE FROM search_pending WHERE article_id IN ({marks})", ids)
            done += len(rows)


def reindex(db: sqlite_utils.Database, batch: int = _BATCH) -> int:
    """Rebuild every FTS row from the articles, in place (searches keep working meanwhile)."""
    done, last = 0, 0
    while True:
        with transaction(db) as conn:
            rows = conn.execute("SELECT id, title, body FROM articles WHERE id > ? "
                                "ORDER BY id LIMIT ?", (last, batch)).fetchall()
            for article_id, title, body in rows:
                index_article(conn, article_id, title, body)
        if not rows:
            break
        done += len(rows)
        last = rows[-1][0]
    with transaction(db) as conn:
        conn.execute("DELETE FROM articles_fts WHERE rowid NOT IN (SELECT id FROM articles)")
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    return done


# --- opening a store for reading ------------------------------------------------------------------
def open_for_reading(path: str | Path, warn: Any = None) -> sqlite_utils.Database:
    """A read-only connection to an up-to-date store: if migrations or index rows are missing
    (an older store, a writer that bypassed the listener), bring it forward first with a short
    writer connection. `warn(message)` is told when that happens or is impossible."""
    path = Path(path)
    ro = connect_readonly(path)
    try:
        stale = _needs_catch_up(ro.conn)
    except sqlite3.DatabaseError as exc:
        raise sqlite3.DatabaseError(f"{path}: not a rasad store ({exc})") from None
    if stale is None:
        return ro
    ro.conn.close()
    try:
        db = connect(path)
    except sqlite3.OperationalError as exc:  # read-only file or directory
        if warn:
            warn(f"{path}: {stale}, and the store cannot be written ({exc}); "
                 "results may be incomplete")
        return connect_readonly(path)
    try:
        if warn and stale.startswith("schema"):
            warn(f"{path}: {stale}; bringing the store forward")
        n = catch_up(db)
        if warn and n > 100:
            warn(f"{path}: indexed {n} articles for search")
    finally:
        db.conn.close()
    return connect_readonly(path)


def _needs_catch_up(conn: sqlite3.Connection) -> str | None:
    applied = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    missing = [name for name, _ in migration_files() if name not in applied]
    if missing:
        return f"schema is older than this rasad (missing {', '.join(missing)})"
    if conn.execute("SELECT EXISTS (SELECT 1 FROM search_pending)").fetchone()[0]:
        return "articles not yet indexed for search"
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
    """Ranked articles matching `query` (raises search_query.QueryError on an empty query)."""
    parsed = parse(query) if isinstance(query, str) else query
    clauses, params = (where or ArticleFilter()).sql(conn, alias="a")
    sql = (
        "SELECT a.id, a.url, a.title, a.outlet, a.published, a.first_seen, a.body, "
        f"{RANK} AS rank FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ?" + "".join(f" AND {c}" for c in clauses)
        + " ORDER BY rank LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [fts_expression(parsed), *params, limit, offset]).fetchall()
    hits = []
    for id_, url, title, outlet, published, first_seen, body, rank in rows:
        text = snippet(body, parsed, words, mark)
        if mark[0] not in text:  # matched in the title only
            text = snippet(title, parsed, words, mark)
        hits.append(Hit(id_, url, title, outlet, published, first_seen, round(-rank, 3), text))
    return hits
