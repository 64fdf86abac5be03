"""Article writes and lookups. Idempotency lives in the schema: the canonical URL is UNIQUE and
every write is `INSERT … ON CONFLICT DO NOTHING`, so concurrent or repeated crawls cannot
create a second row for one article."""
from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import sqlite_utils

from crawler.article import Article
from storage.db import now_iso, transaction

_COLUMNS = (
    "outlet", "url", "canonical_url", "title", "body", "published", "published_source",
    "author", "language", "section", "tags", "image", "caption", "date_flags",
    "first_seen", "last_seen", "run_id",
)


@dataclass(frozen=True)
class AddResult:
    article_id: int
    status: str  # "new" or "duplicate"


class ArticleListener(Protocol):
    """Called inside the article's write transaction (so its own rows commit or roll back with
    the article): search indexing, the alert outbox, … `status` is "new" or "updated"."""

    def article_written(
        self, conn: sqlite3.Connection, article_id: int, article: Article, status: str
    ) -> None: ...


# Listeners every store gets, as "module:factory" (factory() -> ArticleListener). A feature adds
# one line here; the factory may return None to stay out (e.g. not configured).
DEFAULT_LISTENERS: list[str] = [
    "storage.search:search_listener",
    "crawler.alerts.listener:make_listener",
]


def default_listeners() -> list[ArticleListener]:
    listeners = []
    for spec in DEFAULT_LISTENERS:
        module, _, name = spec.partition(":")
        listener = getattr(importlib.import_module(module), name)()
        if listener is not None:
            listeners.append(listener)
    return listeners


class ArticleStore:
    def __init__(
        self, db: sqlite_utils.Database, listeners: Sequence[ArticleListener] | None = None
    ) -> None:
        self.db = db
        self.listeners = list(default_listeners() if listeners is None else listeners)

    def add(
        self, article: Article, key: str, aliases: Iterable[str] = (), run_id: int | None = None
    ) -> AddResult:
        """Store `article` under canonical `key` unless that key (or an alias of it) is stored.
        The article row and its URL aliases are written in one transaction."""
        seen = now_iso()
        row = article.to_dict()
        row.update(
            canonical_url=key,
            tags=json.dumps(article.tags, ensure_ascii=False),
            date_flags=json.dumps(article.date_flags),
            first_seen=seen,
            last_seen=seen,
            run_id=run_id,
        )
        urls = {key, *aliases}
        with transaction(self.db) as conn:
            known = self._lookup(conn, urls)
            if known is not None:
                article_id, status = known, "duplicate"
                conn.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (seen, article_id))
            else:
                placeholders = ", ".join("?" for _ in _COLUMNS)
                cursor = conn.execute(
                    f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({placeholders}) "
                    "ON CONFLICT(canonical_url) DO NOTHING RETURNING id",
                    [row[c] for c in _COLUMNS],
                )
                inserted = cursor.fetchone()
                if inserted is None:  # lost a race with another writer: theirs stands
                    article_id = conn.execute(
                        "SELECT id FROM articles WHERE canonical_url = ?", (key,)
                    ).fetchone()[0]
                    status = "duplicate"
                else:
                    article_id, status = inserted[0], "new"
                    for listener in self.listeners:
                        listener.article_written(conn, article_id, article, status)
            conn.executemany(
                "INSERT INTO article_urls (url, article_id, outlet, first_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO NOTHING",
                [(u, article_id, article.outlet, seen) for u in sorted(urls)],
            )
        return AddResult(article_id, status)

    @staticmethod
    def _lookup(conn: object, urls: Iterable[str]) -> int | None:
        urls = list(urls)
        marks = ", ".join("?" for _ in urls)
        found = conn.execute(  # type: ignore[attr-defined]
            f"SELECT article_id FROM article_urls WHERE url IN ({marks}) LIMIT 1", urls
        ).fetchone()
        return found[0] if found else None

    def known_urls(self, outlet: str) -> set[str]:
        """Every canonical URL already stored for `outlet` (articles and their aliases)."""
        rows = self.db.conn.execute("SELECT url FROM article_urls WHERE outlet = ?", (outlet,))
        return {r[0] for r in rows}

    def count(self, outlet: str | None = None) -> int:
        if outlet is None:
            return self.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return self.db.conn.execute(
            "SELECT count(*) FROM articles WHERE outlet = ?", (outlet,)
        ).fetchone()[0]
