"""What incremental crawls remember between runs: HTTP validators of entry-point URLs (and the
entry points each one led to), and the article pages to try again later."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from storage.db import now_iso, transaction

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils


@dataclass
class Validator:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    listed_lastmod: str | None = None  # the <lastmod> its sitemap index gave at that fetch
    children: list[list[str | None]] = field(default_factory=list)  # [url, kind, lastmod]
    body: bytes | None = None  # robots.txt only


@dataclass
class Retry:
    url: str
    attempts: int
    error: str
    first_failed: str


def load_validators(db: sqlite_utils.Database, outlet: str) -> dict[str, Validator]:
    rows = db.conn.execute(
        "SELECT url, etag, last_modified, listed_lastmod, children, body FROM validators "
        "WHERE outlet = ?", (outlet,))
    return {r[0]: Validator(r[0], r[1], r[2], r[3], json.loads(r[4] or "[]"), r[5]) for r in rows}


def save_validators(db: sqlite_utils.Database, outlet: str, items: Iterable[Validator]) -> int:
    rows = [(v.url, outlet, v.etag, v.last_modified, v.listed_lastmod,
             json.dumps(v.children, ensure_ascii=False), v.body, now_iso()) for v in items]
    with transaction(db) as conn:
        conn.executemany(
            "INSERT INTO validators (url, outlet, etag, last_modified, listed_lastmod, children, "
            "body, checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "outlet = excluded.outlet, etag = excluded.etag, "
            "last_modified = excluded.last_modified, listed_lastmod = excluded.listed_lastmod, "
            "children = excluded.children, body = excluded.body, checked = excluded.checked",
            rows,
        )
    return len(rows)


def due_retries(db: sqlite_utils.Database, outlet: str, now: str | None = None) -> list[Retry]:
    rows = db.conn.execute(
        "SELECT url, attempts, error, first_failed FROM retry_urls "
        "WHERE outlet = ? AND not_before <= ? ORDER BY not_before", (outlet, now or now_iso()))
    return [Retry(*r) for r in rows]


def pending_retries(db: sqlite_utils.Database, outlet: str) -> dict[str, Retry]:
    rows = db.conn.execute(
        "SELECT url, attempts, error, first_failed FROM retry_urls WHERE outlet = ?", (outlet,))
    return {r[0]: Retry(*r) for r in rows}


def update_retries(
    db: sqlite_utils.Database, outlet: str, failed: dict[str, tuple[str, float]],
    succeeded: Iterable[str], max_attempts: int, base_delay: float,
) -> list[str]:
    """Record this run's failures (url → (error, retry-after seconds)) with exponential backoff,
    forget the URLs that succeeded; returns the URLs given up after `max_attempts`."""
    known = pending_retries(db, outlet)
    now = datetime.now(UTC)
    given_up = []
    with transaction(db) as conn:
        conn.executemany("DELETE FROM retry_urls WHERE url = ?", [(u,) for u in succeeded])
        for url, (error, retry_after) in failed.items():
            previous = known.get(url)
            attempts = (previous.attempts if previous else 0) + 1
            if attempts > max_attempts:
                conn.execute("DELETE FROM retry_urls WHERE url = ?", (url,))
                given_up.append(url)
                continue
            delay = max(base_delay * 2 ** (attempts - 1), retry_after)
            not_before = (now + timedelta(seconds=delay)).strftime("%Y-%m-%dT%H:%M:%SZ")
            conn.execute(
                "INSERT INTO retry_urls (url, outlet, attempts, not_before, error, first_failed) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "attempts = excluded.attempts, not_before = excluded.not_before, "
                "error = excluded.error",
                (url, outlet, attempts, not_before, error,
                 previous.first_failed if previous else now_iso()),
            )
    return given_up
