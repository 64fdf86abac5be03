"""Rows for `rasad export`: articles with their provenance (where and when rasad found them, which
topics they matched, which story they belong to)."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from storage.filters import ArticleFilter
from storage.search_query import RANK, fts_expression

FIELDS = (
    "id", "url", "canonical_url", "outlet", "title", "published", "first_seen", "last_seen",
    "topics", "countries", "story_id", "author", "section", "language", "body",
)


def export_rows(conn: sqlite3.Connection, where: ArticleFilter | None = None,
                limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Matching articles, newest first (best first when the filter has a query); `topics` and
    `countries` are lists."""
    where = where or ArticleFilter()
    query, where.query = where.query, None  # a query ranks instead of filtering by id list
    clauses, params = where.sql(conn, alias="a")
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    # Without the dedup feature's story_id every article is its own story.
    story = "coalesce(a.story_id, a.id)" if "story_id" in columns else "a.id"
    has_topics = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'article_topics'").fetchone() is not None
    topics = ("(SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics t "
              "WHERE t.article_id = a.id AND t.matched ORDER BY topic))") if has_topics else "'[]'"
    countries = ("(SELECT json_group_array(code) FROM (SELECT DISTINCT c.key AS code "
                 "FROM article_topics t, json_each(t.countries) c WHERE t.article_id = a.id "
                 "ORDER BY code))") if has_topics else "'[]'"
    select = (f"SELECT a.id, a.url, a.canonical_url, a.outlet, a.title, a.published, "
              f"a.first_seen, a.last_seen, {topics}, {countries}, {story}, a.author, a.section, "
              f"a.language, a.body FROM articles a")
    if query:
        select += " JOIN articles_fts ON articles_fts.rowid = a.id"
        clauses.insert(0, "articles_fts MATCH ?")
        params.insert(0, fts_expression(query))
        order = RANK
    else:
        order = "a.published IS NULL, a.published DESC, a.id DESC"
    sql = select + (" WHERE " + " AND ".join(clauses) if clauses else "") + f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        out = dict(zip(FIELDS, row, strict=True))
        out["topics"] = json.loads(out["topics"])
        out["countries"] = json.loads(out["countries"])
        yield out
