"""Operator notices: an outlet health incident (failing, extraction broken, stale — see
crawler/service/health.py) sent once to the channels with `notices = true`. The scheduler calls
`notify_incident` for each incident it has not announced yet."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.alerts.config import load_alerts
from crawler.alerts.dispatcher import Dispatcher
from crawler.alerts.message import notice_id
from storage.db import now_iso, transaction

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils


def _db_dir(db: sqlite_utils.Database) -> Path:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).resolve().parent if row and row[2] else Path.cwd()


def notify_incident(db: sqlite_utils.Database, incident: dict[str, Any],
                    alerts_path: str | Path | None = None) -> bool:
    """Queue the incident for every notice channel under an id derived from the incident (so a
    repeat call queues nothing new), then dispatch. False when no channel takes notices: the
    incident then stays unannounced (it shows in `rasad status` and the logs)."""
    config = load_alerts(alerts_path)
    channels = [c for c in config.enabled() if c.notices]
    if not channels:
        return False
    payload = {k: incident.get(k) for k in ("outlet", "kind", "verdict", "reason", "opened")}
    payload["incident_id"] = incident["id"]
    payload["verdict"] = payload["verdict"] or payload["kind"]
    created = now_iso()
    with transaction(db) as conn:
        for channel in channels:
            conn.execute(
                "INSERT INTO alert_deliveries (id, channel, kind, payload, created) "
                "VALUES (?, ?, 'notice', json(?), ?) ON CONFLICT(id) DO NOTHING",
                (notice_id(incident["id"], channel.id), channel.id,
                 _json(payload), created))
    Dispatcher(db, config, _db_dir(db)).run()
    return True


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
