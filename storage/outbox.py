"""Alert deliveries: the state machine behind exactly-once sending.

A delivery is one message to one channel (a single alert or a digest) under an id fixed before
the first attempt. Every attempt is logged before the message leaves; a claim (process id + lease)
keeps two dispatchers from sending the same message at once, and a claim whose process died is
taken over, so a message sent but not recorded is sent again under the same id — receivers drop
the repeat by id (at-least-once + idempotency key = effectively once).
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from storage.db import transaction
from storage.runs import _alive

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

# A claim outlives its process only by this much when the pid check cannot tell (pid reused).
LEASE = timedelta(minutes=15)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def unassigned(
    db: sqlite_utils.Database, channel: str, created_before: str | None = None
) -> list[int]:
    """Pending outbox rows of `channel` not yet in any delivery, oldest first."""
    sql = ("SELECT id FROM alert_outbox WHERE channel = ? AND status = 'pending' "
           "AND delivery_id IS NULL")
    args: list[Any] = [channel]
    if created_before:
        sql += " AND created < ?"
        args.append(created_before)
    return [r[0] for r in db.conn.execute(sql + " ORDER BY id", args)]


def alert_items(db: sqlite_utils.Database, item_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What a message says about each outbox row: the article and why it matched."""
    marks = ", ".join("?" for _ in item_ids)
    rows = db.query(
        "SELECT o.id AS item_id, o.story_id, o.article_id, o.topic, o.channel, a.outlet, a.url, "
        "a.canonical_url, a.title, a.published, t.score, t.why, t.countries, t.states "
        "FROM alert_outbox o JOIN articles a ON a.id = o.article_id "
        "LEFT JOIN article_topics t ON t.article_id = o.article_id AND t.topic = o.topic "
        f"WHERE o.id IN ({marks}) ORDER BY o.id", list(item_ids))
    items = []
    for r in rows:
        r = dict(r)
        for key in ("why", "countries", "states"):
            r[key] = json.loads(r[key]) if r[key] else {}
        items.append(r)
    return items


def assign(
    db: sqlite_utils.Database, channel: str, created_before: str | None,
    build: Callable[[list[dict[str, Any]]], list[tuple[str, str, dict[str, Any], list[int]]]],
    created: str,
) -> int:
    """Turn the channel's unassigned outbox rows into deliveries, in one transaction so that two
    dispatchers cannot put one row into two messages. `build(items)` returns (delivery id, kind,
    payload, item ids) per message; an id that exists keeps its first body (ids are derived from
    what a message is about). Returns the number of rows assigned."""
    with transaction(db) as conn:
        ids = unassigned(db, channel, created_before)
        if not ids:
            return 0
        for delivery_id, kind, payload, item_ids in build(alert_items(db, ids)):
            conn.execute(
                "INSERT INTO alert_deliveries (id, channel, kind, payload, created) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (delivery_id, channel, kind, json.dumps(payload, ensure_ascii=False), created))
            conn.executemany(
                "UPDATE alert_outbox SET delivery_id = ? WHERE id = ? AND delivery_id IS NULL",
                [(delivery_id, i) for i in item_ids])
    return len(ids)


def due(db: sqlite_utils.Database, channels: Iterable[str], now: datetime) -> list[str]:
    """Deliveries that may be attempted now: pending and due, or claimed by a process that is
    gone (killed between sending and recording) or whose lease ran out."""
    channels = list(channels)
    if not channels:
        return []
    marks = ", ".join("?" for _ in channels)
    rows = db.conn.execute(
        f"SELECT id, status, next_attempt, claimed_by, lease_until FROM alert_deliveries "
        f"WHERE status IN ('pending', 'sending') AND channel IN ({marks}) ORDER BY rowid",
        channels).fetchall()
    return [r[0] for r in rows if _claimable(r[1], r[2], r[3], r[4], iso(now))]


def _claimable(status: str, next_attempt: str | None, pid: int | None,
               lease_until: str | None, now: str) -> bool:
    if status == "pending":
        return next_attempt is None or next_attempt <= now
    return (lease_until or "") < now or (pid != os.getpid() and not _alive(pid))


def claim(db: sqlite_utils.Database, delivery_id: str, now: datetime) -> dict[str, Any] | None:
    """Take the delivery for this process; None if it is sent, not due, or another live
    dispatcher has it. Attempts left 'sending' by a dead claimant are marked 'lost'."""
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT id, channel, kind, status, payload, attempts, next_attempt, claimed_by, "
            "lease_until, created FROM alert_deliveries WHERE id = ?", (delivery_id,)).fetchone()
        if row is None or row[3] not in ("pending", "sending"):
            return None
        if not _claimable(row[3], row[6], row[7], row[8], iso(now)):
            return None
        conn.execute(
            "UPDATE alert_deliveries SET status = 'sending', claimed_by = ?, lease_until = ? "
            "WHERE id = ?", (os.getpid(), iso(now + LEASE), delivery_id))
        conn.execute(
            "UPDATE alert_attempts SET outcome = 'lost', finished = ?, "
            "error = 'dispatcher stopped before recording the result' "
            "WHERE delivery_id = ? AND outcome = 'sending'", (iso(now), delivery_id))
    return {"id": row[0], "channel": row[1], "kind": row[2], "payload": json.loads(row[4]),
            "attempts": row[5], "created": row[9]}


def start_attempt(db: sqlite_utils.Database, delivery_id: str, now: datetime) -> tuple[int, int]:
    """Log the attempt before the message leaves. Returns (log number, attempt number in this
    round): a requeued failure starts a new round but keeps its log."""
    with transaction(db) as conn:
        in_round = conn.execute(
            "UPDATE alert_deliveries SET attempts = attempts + 1, lease_until = ? WHERE id = ? "
            "RETURNING attempts", (iso(now + LEASE), delivery_id)).fetchone()[0]
        number = conn.execute(
            "SELECT coalesce(max(attempt), 0) + 1 FROM alert_attempts WHERE delivery_id = ?",
            (delivery_id,)).fetchone()[0]
        conn.execute(
            "INSERT INTO alert_attempts (delivery_id, attempt, started) VALUES (?, ?, ?)",
            (delivery_id, number, iso(now)))
    return number, in_round


def _finish(conn: sqlite3.Connection, delivery_id: str, attempt: int, outcome: str,
            status_code: int | None, error: str | None, now: str) -> None:
    conn.execute(
        "UPDATE alert_attempts SET outcome = ?, status_code = ?, error = ?, finished = ? "
        "WHERE delivery_id = ? AND attempt = ?",
        (outcome, status_code, error, now, delivery_id, attempt))


def record_sent(db: sqlite_utils.Database, delivery_id: str, attempt: int,
                status_code: int | None, now: datetime) -> None:
    with transaction(db) as conn:
        _finish(conn, delivery_id, attempt, "ok", status_code, None, iso(now))
        conn.execute(
            "UPDATE alert_deliveries SET status = 'sent', sent = ?, claimed_by = NULL, "
            "lease_until = NULL, next_attempt = NULL, last_error = NULL WHERE id = ?",
            (iso(now), delivery_id))
        conn.execute("UPDATE alert_outbox SET status = 'sent', sent = ? WHERE delivery_id = ?",
                     (iso(now), delivery_id))


def record_retry(db: sqlite_utils.Database, delivery_id: str, attempt: int,
                 status_code: int | None, error: str, now: datetime,
                 next_attempt: datetime, release: bool) -> None:
    """A retryable failure. `release`: the next attempt is left to a later dispatch."""
    with transaction(db) as conn:
        _finish(conn, delivery_id, attempt, "retry", status_code, error, iso(now))
        if release:
            conn.execute(
                "UPDATE alert_deliveries SET status = 'pending', next_attempt = ?, "
                "claimed_by = NULL, lease_until = NULL, last_error = ? WHERE id = ?",
                (iso(next_attempt), error, delivery_id))
        else:
            conn.execute("UPDATE alert_deliveries SET last_error = ? WHERE id = ?",
                         (error, delivery_id))


def record_failed(db: sqlite_utils.Database, delivery_id: str, attempt: int,
                  status_code: int | None, error: str, now: datetime) -> None:
    with transaction(db) as conn:
        _finish(conn, delivery_id, attempt, "failed", status_code, error, iso(now))
        conn.execute(
            "UPDATE alert_deliveries SET status = 'failed', claimed_by = NULL, lease_until = NULL,"
            " last_error = ? WHERE id = ?", (error, delivery_id))
        conn.execute("UPDATE alert_outbox SET status = 'failed' WHERE delivery_id = ?",
                     (delivery_id,))


def attempts_of(db: sqlite_utils.Database, delivery_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(
        "SELECT * FROM alert_attempts WHERE delivery_id = ? ORDER BY attempt", [delivery_id])]


def requeue_failed(db: sqlite_utils.Database, channel: str | None = None) -> int:
    """Give failed deliveries a new round of attempts (same ids), e.g. after fixing a URL."""
    with transaction(db) as conn:
        cur = conn.execute(
            "UPDATE alert_deliveries SET status = 'pending', attempts = 0, next_attempt = NULL "
            "WHERE status = 'failed'" + (" AND channel = ?" if channel else "")
            + " RETURNING id", (channel,) if channel else ())
        ids = [r[0] for r in cur.fetchall()]
        conn.executemany("UPDATE alert_outbox SET status = 'pending' WHERE delivery_id = ?",
                         [(i,) for i in ids])
    return len(ids)
