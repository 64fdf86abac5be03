"""The dispatcher drains the outbox: outbox rows → deliveries (one per alert, or one digest per
period) → attempts with backoff, each logged before the message leaves.

Exactly once per (story, topic, channel): the outbox row is unique on that key, the delivery id
is derived from it, and a delivery is marked sent only after the receiver said so. A dispatcher
killed between the receiver's 2xx and the record re-sends the same id on its next run; the
receiver (or the JSONL file) drops the repeat by id.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.alerts.channels import MissingSecret, Outcome, Sender, sender_for
from crawler.alerts.config import AlertsConfig, Channel, load_alerts
from crawler.alerts.message import (
    Message,
    alert_id,
    alert_payload,
    digest_id,
    digest_payload,
)
from storage import outbox
from storage.db import connect

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils

log = logging.getLogger("rasad.alerts")

@dataclass
class ChannelReport:
    channel: str
    sent: int = 0
    retrying: int = 0  # waiting for a later dispatch (backoff, Retry-After)
    failed: int = 0
    held: int = 0  # not attempted: a secret is missing, or the channel is backing off
    waiting_digest: int = 0  # alerts waiting for their digest period to end
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"sent {self.sent}", f"retrying {self.retrying}", f"failed {self.failed}"]
        if self.held:
            parts.append(f"held {self.held}")
        if self.waiting_digest:
            parts.append(f"in next digest {self.waiting_digest}")
        return f"{self.channel:<16} " + "  ".join(parts)


@dataclass
class DispatchReport:
    channels: dict[str, ChannelReport] = field(default_factory=dict)

    def total(self, what: str) -> int:
        return sum(getattr(r, what) for r in self.channels.values())

    def as_dict(self) -> dict[str, Any]:
        return {cid: {k: v for k, v in vars(r).items() if k != "channel"}
                for cid, r in self.channels.items()}


def window_start(channel: Channel, now: datetime) -> datetime:
    """Start of the digest period `now` is in: alerts from before it are due."""
    now = now.astimezone(UTC)
    if channel.digest == "hourly":
        return now.replace(minute=0, second=0, microsecond=0)
    start = now.replace(hour=channel.digest_hour, minute=0, second=0, microsecond=0)
    return start if start <= now else start - timedelta(days=1)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    def __init__(
        self, db: sqlite_utils.Database, config: AlertsConfig, base_dir: Path, *,
        clock: Callable[[], datetime] = _utcnow, sleep: Callable[[float], None] = time.sleep,
        flush_digests: bool = False, backfill: bool = False, view_url: str | None = None,
    ) -> None:
        self.db = db
        self.backfill = backfill
        self.view_url = view_url  # where `rasad serve` runs: alerts link to the article page
        self.config = config
        self.base_dir = base_dir
        self.clock = clock
        self.sleep = sleep
        self.flush_digests = flush_digests

    def run(self, only: str | None = None) -> DispatchReport:
        report = DispatchReport()
        for channel in self.config.enabled():
            if only and channel.id != only:
                continue
            rep = report.channels[channel.id] = ChannelReport(channel.id)
            self.plan(channel, rep)
            self.drain(channel, rep)
        return report

    # --- outbox rows → deliveries ---------------------------------------------------------------
    def plan(self, channel: Channel, rep: ChannelReport) -> None:
        now = self.clock()
        created = outbox.iso(now)
        if channel.mode == "immediate":
            def singles(items: list[dict[str, Any]]) -> list[tuple[str, str, dict, list[int]]]:
                # A backfill or a burst goes out as one digest: nobody reads 200 messages.
                burst = channel.burst and len(items) > channel.burst
                if self.backfill or burst:
                    return self._digest(channel, items, "backfill" if self.backfill else "burst")
                return [(alert_id(i["story_id"], i["topic"], channel.id), "alert",
                         alert_payload(i, view_base=self.view_url), [i["item_id"]])
                        for i in items]
            outbox.assign(self.db, channel.id, None, singles, created)
            return
        before = None if self.flush_digests else outbox.iso(window_start(channel, now))

        def digest(items: list[dict[str, Any]]) -> list[tuple[str, str, dict, list[int]]]:
            return self._digest(channel, items, channel.digest)
        outbox.assign(self.db, channel.id, before, digest, created)
        rep.waiting_digest = len(outbox.unassigned(self.db, channel.id))

    def _digest(self, channel: Channel, items: list[dict[str, Any]],
                period: str) -> list[tuple[str, str, dict, list[int]]]:
        ids = [i["item_id"] for i in items]
        payload = digest_payload(channel.id, period,
                                 [alert_payload(i, view_base=self.view_url) for i in items])
        return [(digest_id(channel.id, ids), "digest", payload, ids)]

    # --- deliveries → attempts ------------------------------------------------------------------
    def drain(self, channel: Channel, rep: ChannelReport) -> None:
        ids = outbox.due(self.db, [channel.id], self.clock())
        if not ids:
            return
        try:
            sender = sender_for(channel, self.base_dir)
        except MissingSecret as exc:
            rep.held += len(ids)
            rep.errors.append(f"{channel.id}: {exc}; {len(ids)} message(s) held")
            return
        try:
            for n, delivery_id in enumerate(ids):
                if not self.deliver(channel, sender, delivery_id, rep):
                    # The receiver asked for a pause: don't hammer it with the rest.
                    rep.held += len(ids) - n - 1
                    break
        finally:
            sender.close()

    def deliver(self, channel: Channel, sender: Sender, delivery_id: str,
                rep: ChannelReport) -> bool:
        """Send one delivery until it is sent, failed or deferred; False when deferred."""
        row = outbox.claim(self.db, delivery_id, self.clock())
        if row is None:
            return True
        message = Message(row["id"], row["kind"], channel.id, row["payload"], row["created"])
        retry = channel.retry
        while True:
            number, in_round = outbox.start_attempt(self.db, delivery_id, self.clock())
            try:
                outcome = sender.send(message)
            except Exception as exc:  # noqa: BLE001 - a sender bug must not strand the claim
                redact = getattr(sender, "redact", str)
                outcome = Outcome(ok=False, retry=True,
                                  error=redact(f"{type(exc).__name__}: {exc}")[:300])
            now = self.clock()
            if outcome.ok:
                outbox.record_sent(self.db, delivery_id, number, outcome.status, now)
                rep.sent += 1
                log.info("alert %s sent to %s", delivery_id, channel.id)
                return True
            error = outcome.error or "failed"
            if outcome.retry and in_round < retry.max_attempts:
                delay = outcome.retry_after if outcome.retry_after is not None else \
                    min(retry.backoff * 2 ** (in_round - 1), retry.max_backoff)
                deferred = delay > retry.inline_wait
                outbox.record_retry(self.db, delivery_id, number, outcome.status, error, now,
                                    now + timedelta(seconds=delay), release=deferred)
                log.warning("alert %s to %s: attempt %d: %s; retry in %.1fs", delivery_id,
                            channel.id, number, error, delay)
                if deferred:
                    rep.retrying += 1
                    rep.errors.append(f"{delivery_id}: {error} (next attempt in {delay:.0f}s)")
                    return False
                self.sleep(delay)
                continue
            if outcome.retry:
                error = f"gave up after {in_round} attempts: {error}"
            outbox.record_failed(self.db, delivery_id, number, outcome.status, error, now)
            rep.failed += 1
            rep.errors.append(f"{delivery_id}: {error}")
            log.error("alert %s to %s failed: %s", delivery_id, channel.id, error)
            return True


def dispatch_pending(
    db_path: str | Path, alerts_path: str | Path | None = None, *, only: str | None = None,
    flush_digests: bool = False, config: AlertsConfig | None = None, backfill: bool = False,
    view_url: str | None = None,
) -> DispatchReport:
    """Drain the outbox of the store at `db_path` once (what `rasad alerts dispatch` and the end
    of `rasad crawl` run; the scheduler calls it after each crawl). `view_url`: where `rasad
    serve` is reached (default: the RASAD_VIEW_URL setting)."""
    if view_url is None:
        from crawler.settings import RASAD_VIEW_URL as view_url
    config = config or load_alerts(alerts_path)
    if not config.enabled():
        return DispatchReport()
    db = connect(db_path)
    try:
        return Dispatcher(db, config, Path(db_path).resolve().parent,
                          flush_digests=flush_digests, backfill=backfill,
                          view_url=view_url).run(only)
    finally:
        db.conn.close()
