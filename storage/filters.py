"""Article filters shared by `rasad search`, `rasad export` and the web view's queries."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from storage.search_query import fts_expression


class FilterError(ValueError):
    """A filter that cannot be applied to this store."""


@dataclass
class ArticleFilter:
    outlets: list[str] = field(default_factory=list)
    since: date | None = None  # published on or after
    until: date | None = None  # published on or before
    topic: str | None = None  # matched this topic (article_topics)
    country: str | None = None  # ISO 3166 alpha-2 found by the topic gazetteers
    query: str | None = None  # full-text query (storage.search_query syntax)

    def sql(self, conn: sqlite3.Connection, alias: str = "a") -> tuple[list[str], list[object]]:
        """WHERE clauses (to AND together) and their parameters, on articles aliased `alias`."""
        a = alias
        clauses: list[str] = []
        params: list[object] = []
        if self.outlets:
            clauses.append(f"{a}.outlet IN ({','.join('?' * len(self.outlets))})")
            params += self.outlets
        # Articles without a publication date cannot be placed in a date range: left out.
        if self.since:
            clauses.append(f"{a}.published >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append(f"{a}.published < ?")  # published may carry a time of day
            params.append((self.until + timedelta(days=1)).isoformat())
        if self.topic or self.country:
            if not _has_table(conn, "article_topics"):
                raise FilterError("this store has no topic classifications (article_topics): "
                                  "--topic and --country need the topics feature")
        if self.topic:
            clauses.append(f"EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = {a}.id "
                           "AND t.topic = ? AND t.matched)")
            params.append(self.topic)
        if self.country:
            clauses.append(f"EXISTS (SELECT 1 FROM article_topics t, json_each(t.countries) c "
                           f"WHERE t.article_id = {a}.id AND ? IN (c.key, c.value))")
            params.append(self.country.upper())
        if self.query:
            clauses.append(f"{a}.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_expression(self.query))
        return clauses, params


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None
