"""crawl_runs: one row per crawl of one outlet, opened when it starts and closed when it ends.
A row left 'running' by a killed process is closed as 'crashed' by `close_abandoned`."""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from storage.db import now_iso, transaction

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils


def open_run(db: sqlite_utils.Database, outlet: str) -> int:
    with transaction(db) as conn:
        cursor = conn.execute(
            "INSERT INTO crawl_runs (outlet, started, pid) VALUES (?, ?, ?) RETURNING id",
            (outlet, now_iso(), os.getpid()),
        )
        return cursor.fetchone()[0]


# The figures of a finished run, one integer column each.
COUNTS = (
    "requests", "pages_fetched", "responses_304", "articles_new", "articles_updated",
    "article_pages", "pages_with_body", "pages_with_date", "lastmod_skips", "articles_duplicate",
    "extract_failures", "errors",
)


def close_run(
    db: sqlite_utils.Database, run_id: int, outcome: str, reason: str, counts: dict[str, Any]
) -> None:
    fields: dict[str, Any] = {k: int(counts.get(k, 0)) for k in COUNTS}
    fields["errors_by_kind"] = json.dumps(counts.get("errors_by_kind", {}), ensure_ascii=False)
    fields["stats"] = json.dumps(counts.get("stats", {}), ensure_ascii=False, default=str)
    assignments = ", ".join(f"{k} = ?" for k in fields)
    with transaction(db) as conn:
        conn.execute(
            f"UPDATE crawl_runs SET finished = ?, outcome = ?, reason = ?, {assignments} "
            "WHERE id = ?",
            (now_iso(), outcome, reason, *fields.values(), run_id),
        )


def close_abandoned(db: sqlite_utils.Database, outlet: str | None = None) -> int:
    """Mark runs left 'running' by a process that no longer exists as 'crashed'."""
    rows = db.conn.execute(
        "SELECT id, pid FROM crawl_runs WHERE outcome = 'running'"
        + (" AND outlet = ?" if outlet else ""),
        (outlet,) if outlet else (),
    ).fetchall()
    dead = [run_id for run_id, pid in rows if not _alive(pid)]
    with transaction(db) as conn:
        conn.executemany(
            "UPDATE crawl_runs SET outcome = 'crashed', reason = 'process died', "
            "finished = coalesce(finished, ?) WHERE id = ?",
            [(now_iso(), run_id) for run_id in dead],
        )
    return len(dead)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recent_runs(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]))


def cancel_running(db: sqlite_utils.Database, pid: int, reason: str) -> int:
    """Close as 'cancelled' the runs a process we had to kill left open (rasad run's stop)."""
    with transaction(db) as conn:
        return conn.execute(
            "UPDATE crawl_runs SET outcome = 'cancelled', reason = ?, finished = ? "
            "WHERE pid = ? AND outcome = 'running'", (reason, now_iso(), pid)).rowcount


def live_runs(db: sqlite_utils.Database, outlet: str) -> list[int]:
    """Pids of the outlet's open runs whose process is alive (another crawl of it is going on)."""
    rows = db.conn.execute("SELECT pid FROM crawl_runs WHERE outlet = ? AND outcome = 'running'",
                           (outlet,)).fetchall()
    return [pid for (pid,) in rows if _alive(pid)]
