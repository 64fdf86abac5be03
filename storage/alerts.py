"""Topic verdicts (article_topics) and alert outbox rows, written inside the article's transaction;
plus the read queries behind `rasad alerts list`, backtests and explanations."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from storage.db_time import now_iso

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

# Outbox row states. `baseline`: matched during an outlet's first crawl, recorded so that the
# story counts as known, never sent.
PENDING, FAILED, BASELINE = "pending", "failed", "baseline"


class TopicRow(NamedTuple):
    """What article_topics keeps of one topic's verdict, its JSON columns already written (by
    a crawl's worker process, where the verdict is computed: `TopicListener.prepare`)."""

    matched: bool
    score: float
    why: str  # JSON
    countries: str  # JSON, ISO code → mentions
    states: str  # JSON, US state → mentions


def topic_row(matched: bool, score: float, why: Mapping[str, Any],
              countries: Mapping[str, int], states: Mapping[str, int]) -> TopicRow:
    return TopicRow(matched, score, _json(why), _json(countries), _json(states))


def record_topics(conn: sqlite3.Connection, article_id: int,
                  rows: Iterable[tuple[str, TopicRow]]) -> None:
    """The article's verdicts, (topic, row) in order, classified now."""
    classified = now_iso()
    conn.executemany(
        "INSERT INTO article_topics (article_id, topic, matched, score, why, countries, states, "
        "classified) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id, topic) DO UPDATE SET "
        "matched = excluded.matched, score = excluded.score, why = excluded.why, "
        "countries = excluded.countries, states = excluded.states, "
        "classified = excluded.classified",
        [(article_id, topic, int(r.matched), r.score, r.why, r.countries, r.states, classified)
         for topic, r in rows])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def story_of(conn: sqlite3.Connection, article_id: int) -> int:
    """The story an article belongs to: `articles.story_id` where deduplication provides it
    (a reprint on another outlet shares it), else the article itself."""
    try:
        row = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    except sqlite3.OperationalError:  # no such column: a store from before deduplication
        return article_id  # (asked per call: the migration can land in a running process)
    if row and row[0] is not None:
        return int(row[0])
    return article_id


def outlet_in_baseline(conn: sqlite3.Connection, outlet: str) -> bool:
    """True while the outlet has no completed crawl: its first crawl stores without alerting.
    Only an `ok` run counts; a first crawl cut short leaves the outlet in baseline."""
    row = conn.execute(
        "SELECT 1 FROM crawl_runs WHERE outlet = ? AND outcome = 'ok' AND finished IS NOT NULL "
        "LIMIT 1", (outlet,)).fetchone()
    return row is None


def enqueue(
    conn: sqlite3.Connection, story_id: int, article_id: int, topic: str,
    channels: Iterable[str], status: str = PENDING,
) -> list[str]:
    """One outbox row per channel unless the story already has one; returns the channels that got
    a new row (the UNIQUE key makes this safe against concurrent writers)."""
    created = now_iso()
    added = []
    for channel in channels:
        cur = conn.execute(
            "INSERT INTO alert_outbox (story_id, article_id, topic, channel, status, created) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(story_id, topic, channel) DO NOTHING "
            "RETURNING id", (story_id, article_id, topic, channel, status, created))
        if cur.fetchone() is not None:
            added.append(channel)
    return added


# --- reads --------------------------------------------------------------------------------------
_LIST_SQL = """
SELECT o.id, o.story_id, o.article_id, a.outlet, a.url, a.title, a.published, o.topic,
       o.channel,
       CASE WHEN o.status IN ('sent', 'failed', 'baseline') THEN o.status
            WHEN d.status = 'sending' THEN 'sending'
            WHEN d.attempts > 0 THEN 'retrying'
            ELSE 'pending' END AS status,
       o.created, o.sent, o.delivery_id, d.kind AS delivery_kind,
       coalesce(d.attempts, 0) AS attempts, d.next_attempt, d.last_error, t.score
FROM alert_outbox o
JOIN articles a ON a.id = o.article_id
LEFT JOIN alert_deliveries d ON d.id = o.delivery_id
LEFT JOIN article_topics t ON t.article_id = o.article_id AND t.topic = o.topic
"""


def list_alerts(
    db: sqlite_utils.Database, *, status: str | None = None, topic: str | None = None,
    channel: str | None = None, limit: int | None = None,
) -> list[dict[str, Any]]:
    """Outbox rows newest first, with their article and delivery state."""
    where, args = [], []
    for column, value in (("topic", topic), ("channel", channel), ("status", status)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    sql = f"SELECT * FROM ({_LIST_SQL})" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY id DESC" + (" LIMIT ?" if limit else "")
    if limit:
        args.append(limit)
    return [dict(r) for r in db.query(sql, args)]


def article_by_url(db: sqlite_utils.Database, urls: Iterable[str]) -> dict[str, Any] | None:
    """The stored article reached by any of `urls` (fetched URL, canonical URL or an alias)."""
    for url in urls:
        for sql in ("SELECT a.* FROM article_urls u JOIN articles a ON a.id = u.article_id "
                    "WHERE u.url = ?",
                    "SELECT * FROM articles WHERE url = ? OR canonical_url = ?"):
            args = (url,) if sql.count("?") == 1 else (url, url)
            row = next(iter(db.query(sql, args)), None)
            if row:
                return dict(row)
    return None


def topic_rows(db: sqlite_utils.Database, article_id: int) -> dict[str, dict[str, Any]]:
    """The stored verdicts of one article, by topic (JSON columns decoded)."""
    rows = {}
    for r in db.query("SELECT * FROM article_topics WHERE article_id = ?", [article_id]):
        r = dict(r)
        for k in ("why", "countries", "states"):
            r[k] = json.loads(r[k])
        rows[r["topic"]] = r
    return rows


def articles_since(
    db: sqlite_utils.Database, since: str | None, outlet: str | None = None
) -> Iterable[dict[str, Any]]:
    """Stored articles (oldest first) published on or after `since`; undated ones count by the
    day they were first seen."""
    where, args = [], []
    if since:
        where.append("coalesce(published, first_seen) >= ?")
        args.append(since)
    if outlet:
        where.append("outlet = ?")
        args.append(outlet)
    sql = ("SELECT id, outlet, url, canonical_url, title, body, published, first_seen "
           "FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY coalesce(published, first_seen), id")
    return db.query(sql, args)


def topic_verdicts(db: sqlite_utils.Database, topic: str) -> dict[int, bool]:
    """article id → matched, as stored at crawl time."""
    return {r[0]: bool(r[1]) for r in db.conn.execute(
        "SELECT article_id, matched FROM article_topics WHERE topic = ?", (topic,))}


def story_alerts(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """The outbox rows of a story (whichever of its articles wrote them)."""
    return [dict(r) for r in db.query(
        "SELECT id, article_id, topic, channel, status, created, sent, delivery_id "
        "FROM alert_outbox WHERE story_id = ? ORDER BY id", [story_id])]
