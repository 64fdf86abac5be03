"""Queries behind `rasad status`, the health checks and the scheduler's first runs, and the
health_incidents table (one open row per outlet problem, so each incident is announced once)."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from storage.db import now_iso, transaction

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

RUN_HISTORY = 20  # runs per outlet the health checks look at
PUBLISHED_HISTORY = 30  # newest articles whose publication gaps give an outlet's usual rhythm


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> datetime | None:
    """A stored timestamp or date (with or without zone; naive means UTC) → aware datetime."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    # What sqlite_utils' db.query() gives, on the plain connection: a crawl checks every
    # outlet's health as it closes, and need not import sqlite-utils for it.
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


def recent_runs(db: sqlite_utils.Database, outlet: str,
                limit: int = RUN_HISTORY) -> list[dict[str, Any]]:
    """The outlet's latest crawl_runs rows, newest first."""
    return _dicts(db.conn.execute(
        "SELECT * FROM crawl_runs WHERE outlet = ? ORDER BY id DESC LIMIT ?", [outlet, limit]))


def last_started(db: sqlite_utils.Database) -> dict[str, datetime]:
    """outlet → start of its latest crawl (the scheduler's first runs after a restart)."""
    rows = db.conn.execute("SELECT outlet, max(started) FROM crawl_runs GROUP BY outlet")
    return {outlet: when for outlet, started in rows if (when := parse_iso(started))}


def outlet_facts(db: sqlite_utils.Database, outlet: str, now: datetime) -> dict[str, Any]:
    """Everything the health verdict of one outlet is computed from."""
    conn = db.conn
    day, week = iso(now - timedelta(days=1)), iso(now - timedelta(days=7))
    new_24h, new_7d, last_new = conn.execute(
        "SELECT count(*) FILTER (WHERE first_seen >= ?), count(*) FILTER (WHERE first_seen >= ?),"
        " max(first_seen) FROM articles WHERE outlet = ?", (day, week, outlet)).fetchone()
    published = [r[0] for r in conn.execute(
        "SELECT published FROM articles WHERE outlet = ? AND published IS NOT NULL "
        "ORDER BY published DESC LIMIT ?", (outlet, PUBLISHED_HISTORY))]
    pages, errors = conn.execute(
        "SELECT coalesce(sum(pages_fetched), 0), coalesce(sum(errors), 0) FROM crawl_runs "
        "WHERE outlet = ? AND started >= ?", (outlet, week)).fetchone()
    return {
        "runs": recent_runs(db, outlet),
        "new_24h": new_24h,
        "new_7d": new_7d,
        "last_new": parse_iso(last_new),
        "published": [p for p in (parse_iso(t) for t in published) if p],
        "pages_7d": pages,  # answered (304s too)
        "errors_7d": errors,  # URLs that ended in an error, after retries
    }


def canary_url(db: sqlite_utils.Database, outlet: str, exclude: str = "") -> str | None:
    """The URL of the outlet's newest stored article (crawler/components/canary.py re-reads it)."""
    row = db.conn.execute("SELECT url FROM articles WHERE outlet = ? AND url != ? "
                          "ORDER BY id DESC LIMIT 1", (outlet, exclude)).fetchone()
    return row[0] if row else None


# --- health incidents ---------------------------------------------------------------------------
def open_incidents(db: sqlite_utils.Database, outlet: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM health_incidents WHERE closed IS NULL"
    args: list[Any] = []
    if outlet:
        sql += " AND outlet = ?"
        args.append(outlet)
    try:
        return _dicts(db.conn.execute(sql + " ORDER BY id", args))
    except sqlite3.OperationalError:  # a read-only view of a store older than 0005
        return []


def sync_incidents(
    db: sqlite_utils.Database, outlet: str, problems: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Make the open incidents of `outlet` match `problems` (kind → reason): open the new ones,
    refresh the reasons of those still there, close the rest. Returns (opened, closed)."""
    now = now_iso()
    opened, closed = [], []
    with transaction(db) as conn:
        current = {r[1]: r[0] for r in conn.execute(
            "SELECT id, kind FROM health_incidents WHERE outlet = ? AND closed IS NULL", (outlet,))}
        for kind, reason in problems.items():
            if kind in current:
                conn.execute("UPDATE health_incidents SET reason = ?, last_checked = ? "
                             "WHERE id = ?", (reason, now, current[kind]))
                continue
            row = conn.execute(
                "INSERT INTO health_incidents (outlet, kind, reason, opened, last_checked) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id", (outlet, kind, reason, now, now)).fetchone()
            opened.append({"id": row[0], "outlet": outlet, "kind": kind, "reason": reason,
                           "opened": now})
        for kind, incident_id in current.items():
            if kind not in problems:
                conn.execute("UPDATE health_incidents SET closed = ?, last_checked = ? "
                             "WHERE id = ?", (now, now, incident_id))
                closed.append({"id": incident_id, "outlet": outlet, "kind": kind, "closed": now})
    return opened, closed


def unnotified_incidents(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return _dicts(db.conn.execute("SELECT * FROM health_incidents WHERE notified IS NULL "
                                  "AND closed IS NULL ORDER BY id"))


def mark_notified(db: sqlite_utils.Database, incident_id: int) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE health_incidents SET notified = ? WHERE id = ?",
                     (now_iso(), incident_id))
