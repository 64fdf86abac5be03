"""Readers' verdicts on alerts: `rasad alerts feedback ID right|wrong` writes them, backtests
read them back with the article they were about."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage.db_time import now_iso

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

VERDICTS = ("right", "wrong")


class UnknownAlert(LookupError):
    """No alert (outbox row) has that id."""


def record_feedback(db: sqlite_utils.Database, alert_id: int, verdict: str,
                    note: str | None = None) -> dict[str, Any]:
    """Store (or replace) the verdict on alert `alert_id`; returns the alert it was about."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    row = next(iter(db.query(
        "SELECT o.id, o.topic, o.channel, a.url, a.title FROM alert_outbox o "
        "JOIN articles a ON a.id = o.article_id WHERE o.id = ?", [alert_id])), None)
    if row is None:
        raise UnknownAlert(alert_id)
    with db.conn:
        db.conn.execute(
            "INSERT INTO alert_feedback (alert_id, verdict, note, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(alert_id) DO UPDATE SET verdict = excluded.verdict, "
            "note = excluded.note, created = excluded.created",
            (alert_id, verdict, note, now_iso()))
    return dict(row)


def feedback_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every verdict with its alert's topic and article (title, body, url), oldest first."""
    if not db["alert_feedback"].exists():
        return []
    return [dict(r) for r in db.query(
        "SELECT f.alert_id, f.verdict, f.note, f.created, o.topic, o.channel, o.article_id, "
        "a.url, a.title, a.body FROM alert_feedback f "
        "JOIN alert_outbox o ON o.id = f.alert_id JOIN articles a ON a.id = o.article_id "
        "ORDER BY f.created, f.alert_id")]
