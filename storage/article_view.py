"""What the web view's article page shows, read in one place: the article, its topic verdicts
with their reasons, the other articles of its story (reprints on other outlets, copies), every
URL it was reached by, its versions, and the alerts its story caused."""
from __future__ import annotations

import json
import sqlite3
from typing import Any


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _has(conn: sqlite3.Connection, table: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return found is not None


def _json(value: str | None, default: Any) -> Any:
    try:
        return json.loads(value) if value else default
    except ValueError:
        return default


def article_detail(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """Everything about one article, or None when there is no such article."""
    found = _rows(conn, "SELECT * FROM articles WHERE id = ?", (article_id,))
    if not found:
        return None
    article = found[0]
    article.pop("fingerprint", None)
    article["tags"] = _json(article.get("tags"), [])
    article["date_flags"] = _json(article.get("date_flags"), [])
    story_id = article.get("story_id") or article["id"]
    article["story_id"] = story_id
    topics = []
    if _has(conn, "article_topics"):
        for t in _rows(conn, "SELECT topic, matched, score, why, countries, states, classified "
                             "FROM article_topics WHERE article_id = ? ORDER BY matched DESC, "
                             "topic", (article_id,)):
            t["why"] = _json(t["why"], {})
            t["countries"] = _json(t["countries"], {})
            t["states"] = _json(t["states"], {})
            topics.append(t)
    story = _rows(conn, "SELECT id, outlet, title, published, url, first_seen FROM articles "
                        "WHERE (story_id = ? OR id = ?) AND id != ? "
                        "ORDER BY coalesce(published, first_seen), id",
                  (story_id, story_id, article_id))
    urls = versions = alerts = []
    if _has(conn, "article_urls"):
        urls = _rows(conn, "SELECT url, first_seen FROM article_urls WHERE article_id = ? "
                           "ORDER BY first_seen, url", (article_id,))
    if _has(conn, "article_versions"):
        versions = _rows(conn, "SELECT version, seen, title, body, changed, words_added, "
                               "words_removed, material FROM article_versions "
                               "WHERE article_id = ? ORDER BY version", (article_id,))
    if _has(conn, "alert_outbox"):
        verdict = ("(SELECT verdict FROM alert_feedback f WHERE f.alert_id = o.id)"
                   if _has(conn, "alert_feedback") else "NULL")
        alerts = _rows(conn, "SELECT id, topic, channel, status, created, sent, article_id, "
                             f"{verdict} AS verdict FROM alert_outbox o WHERE story_id = ? "
                             "ORDER BY created", (story_id,))
    return {"article": article, "topics": topics, "story": story, "article_urls": urls,
            "versions": versions, "alerts": alerts}


def partnership_pairs(conn: sqlite3.Connection, topic: str = "partnership") -> list[dict[str, Any]]:
    """US state ↔ partner country pairs named together in articles that matched `topic`: how
    many articles (and stories), the first and the latest of them. The US itself is not a
    partner country."""
    if not _has(conn, "article_topics"):
        return []
    # One pass: window functions pick each pair's first and latest article (correlated
    # subqueries would re-read the pairs once per pair).
    sql = """
    WITH pairs AS (
      SELECT s.key AS state, c.key AS country, a.id, coalesce(a.story_id, a.id) AS story,
             coalesce(a.published, substr(a.first_seen, 1, 10)) AS day
      FROM article_topics t JOIN articles a ON a.id = t.article_id,
           json_each(t.states) s, json_each(t.countries) c
      WHERE t.topic = ? AND t.matched AND c.key != 'US'
    ), ranked AS (
      SELECT *, row_number() OVER (PARTITION BY state, country ORDER BY day, id) AS nth,
             row_number() OVER (PARTITION BY state, country ORDER BY day DESC, id DESC) AS back
      FROM pairs
    )
    SELECT state, country, count(DISTINCT id) AS articles, count(DISTINCT story) AS stories,
      max(CASE WHEN nth = 1 THEN id END) AS first_id, min(day) AS first_day,
      max(CASE WHEN back = 1 THEN id END) AS latest_id, max(day) AS latest_day
    FROM ranked GROUP BY state, country
    ORDER BY articles DESC, latest_day DESC, state, country
    """
    pairs = _rows(conn, sql, (topic,))
    ids = {p["first_id"] for p in pairs} | {p["latest_id"] for p in pairs}
    titles = {}
    if ids:
        marks = ",".join("?" * len(ids))
        titles = dict(conn.execute(f"SELECT id, title FROM articles WHERE id IN ({marks})",
                                   tuple(ids)).fetchall())
    for p in pairs:
        p["first_title"] = titles.get(p["first_id"])
        p["latest_title"] = titles.get(p["latest_id"])
    return pairs
