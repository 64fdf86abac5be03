"""`rasad ingest`: the one writer. Drains the workers' stream into the store through the same
store code as a single-process crawl (ArticleStore with the same listeners: deduplication,
versions, search index, topics, alert outbox), one transaction per article.

An entry is acknowledged (XACK, then deleted from the stream) only after its transaction
committed, so a killed writer loses nothing: on restart it first reads again what it had been
given and not acknowledged. A re-delivered article is not stored twice: the store's own
idempotency (UNIQUE URL keys, `INSERT … ON CONFLICT`) makes it a "duplicate" that calls no
listener. The writer also keeps, per outlet, the hash of stored URLs the workers skip
(`rasad:known:<outlet>`), and records each round of a shared crawl in crawl_runs."""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import redis
from scrapy.settings import Settings

from crawler.cluster import keys
from crawler.cluster.stream import ArticleMessage, decode
from crawler.components.pipelines import build_listeners
from crawler.components.runs import run_counts
from crawler.config.outlets import Config
from storage.articles import ArticleStore, revisit_marks
from storage.db import connect, now_iso
from storage.runs import close_run, open_run
from storage.versions import parse_threshold

log = logging.getLogger(__name__)
BATCH = 100
LOCK_TTL = 10.0  # seconds; renewed every second while the writer lives


@dataclass
class IngestReport:
    articles: dict[str, int] = field(default_factory=dict)  # status → count
    runs_started: int = 0
    runs_ended: int = 0
    seconds: float = 0.0
    busy: float = 0.0  # seconds spent writing articles (the writer's capacity, not its waits)
    skipped: int = 0  # unreadable entries

    @property
    def written(self) -> int:
        return sum(self.articles.values())


class WriterBusy(Exception):
    pass


class Writer:
    def __init__(self, server: redis.Redis, db_path: str, config: Config,
                 overrides: dict[str, Any] | None = None) -> None:
        """`overrides`: Scrapy settings on top of crawler/settings.py, as a crawl's (RASAD_TOPICS,
        RASAD_ALERTS, RASAD_ALERT_BACKFILL, RASAD_MATERIAL_CHANGE)."""
        self.server = server
        self.db_path = db_path
        self.config = config
        self.ident = f"{socket.gethostname()}:{os.getpid()}"
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.update(overrides or {}, priority="cmdline")
        self.settings = settings
        # The listeners read only settings from the crawler they are built with.
        listeners = build_listeners(SimpleNamespace(settings=settings))
        self.store = ArticleStore(
            connect(db_path), listeners,
            material_change=parse_threshold(settings.get("RASAD_MATERIAL_CHANGE")))
        self.report = IngestReport()
        self.lock_lost: str | None = None
        self._keeper = threading.Event()

    # --- start ---------------------------------------------------------------------------------
    def take_lock(self, wait: float = LOCK_TTL + 1) -> None:
        """One writer per Redis: a second one waits for the first one's lock to lapse (a killed
        writer's does within LOCK_TTL), then gives up with WriterBusy. A lock already ours was
        taken by a SET whose reply was lost (the client sent it again, and it failed)."""
        deadline = time.monotonic() + wait
        while not self.server.set(keys.WRITER_LOCK, self.ident, nx=True,
                                  px=int(LOCK_TTL * 1000)):
            holder = keys.text(self.server.get(keys.WRITER_LOCK) or b"?")
            if holder == self.ident:
                break
            if time.monotonic() > deadline:
                raise WriterBusy(f"another writer ({holder}) is draining this Redis")
            time.sleep(0.5)
        threading.Thread(target=self._keep_lock, name="writer-lock", daemon=True).start()

    def _keep_lock(self) -> None:
        """Renew the lock every second from a thread, so a long transaction, a slow alert
        dispatch or a large publish_known never lets it lapse while this writer lives."""
        while not self._keeper.wait(1.0):
            try:
                if keys.text(self.server.get(keys.WRITER_LOCK) or b"") not in ("", self.ident):
                    self.lock_lost = "the writer lock was taken over (this writer stalled)"
                    return
                self.server.set(keys.WRITER_LOCK, self.ident, px=int(LOCK_TTL * 1000))
            except redis.RedisError as exc:  # the main loop meets the same error and stops
                log.warning("writer lock not renewed: %s", exc)

    def publish_known(self) -> int:
        """Every stored URL with its revisit mark, per outlet, for the workers' skip check."""
        conn = self.store.db.conn
        outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM article_urls")]
        total = 0
        for outlet in outlets:
            marks = revisit_marks(conn, outlet)
            items = list(marks.items())
            pipe = self.server.pipeline(transaction=False)
            for i in range(0, len(items), 1000):
                pipe.hset(keys.known(outlet), mapping=dict(items[i:i + 1000]))
            pipe.execute()
            total += len(items)
        self.server.set(keys.KNOWN_READY, now_iso())
        return total

    def ensure_group(self) -> None:
        try:
            self.server.xgroup_create(keys.STREAM, keys.GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    # --- the loop ------------------------------------------------------------------------------
    def run(self, stop: Callable[[], bool], drain: bool = False) -> IngestReport:
        """Write entries until `stop()` (checked between entries) or, with `drain`, until the
        stream is empty and no round is running and no worker is alive.

        Cursor "0" reads what this writer was given and has not acknowledged (its pending
        list), ">" new entries. "0" comes first (what a killed writer held), and again whenever
        the pending list holds more than the read just returned: a read of new entries whose
        reply was lost (Redis shutting down) delivered entries that the read sent again
        (keys.connect) did not return. They are read again at once and in stream order, not
        left until the next start (a round's articles must come before its run_end)."""
        started = time.monotonic()
        self.ensure_group()
        cursor = "0"
        while not stop():
            if self.lock_lost:
                raise WriterBusy(self.lock_lost)
            got = self.server.xreadgroup(keys.GROUP, keys.CONSUMER, {keys.STREAM: cursor},
                                         count=BATCH, block=None if cursor == "0" else 500)
            entries = got[0][1] if got else []
            if cursor == "0" and not entries:
                cursor = ">"
                continue
            if cursor == ">" and self.pending() > len(entries):
                cursor = "0"
                continue
            for entry_id, fields in entries:
                if fields:  # a pending entry deleted meanwhile comes back without fields
                    self.handle(entry_id, decode(fields))
                self.ack(entry_id)
                if stop():
                    break
            if not entries and drain and self.drained():
                break
        self.report.seconds = time.monotonic() - started
        return self.report

    def pending(self) -> int:
        """Entries delivered to this writer and not acknowledged."""
        summary = self.server.xpending(keys.STREAM, keys.GROUP)
        return sum(c["pending"] for c in summary["consumers"]
                   if keys.text(c["name"]) == keys.CONSUMER)

    def ack(self, entry_id: bytes) -> None:
        pipe = self.server.pipeline(transaction=True)
        pipe.xack(keys.STREAM, keys.GROUP, entry_id).xdel(keys.STREAM, entry_id)
        pipe.execute()

    def drained(self) -> bool:
        if self.server.xlen(keys.STREAM):
            return False
        for outlet_id in self.config.outlets:
            if self.server.hget(keys.OutletKeys(outlet_id).round, "state") == b"running":
                return False
        ttl = self.settings.getfloat("RASAD_WORKER_TTL")
        alive = self.server.zrangebyscore(keys.WORKERS, time.time() - ttl, "+inf")
        return not any(self.server.exists(keys.worker_key(keys.text(w))) for w in alive)

    def handle(self, entry_id: bytes, fields: dict[str, str]) -> None:
        kind = fields.get("kind")
        if kind == "article":
            try:
                message = ArticleMessage.parse(fields)
            except (KeyError, TypeError, ValueError) as exc:
                # Not something a worker of this version writes: skipping it is the only way
                # on (a store error, by contrast, stops the writer and keeps the entry).
                log.error("stream entry %s skipped: unreadable article (%s: %s)",
                          keys.text(entry_id), type(exc).__name__, exc)
                self.report.skipped += 1
                return
            self.write_article(message)
        elif kind == "run_start":
            self.run_id(fields["outlet"], fields["round"])
        elif kind == "run_end":
            self.end_run(fields["outlet"], fields["round"])
        else:
            log.error("stream entry %s of unknown kind %r skipped", keys.text(entry_id), kind)
            self.report.skipped += 1

    def write_article(self, m: ArticleMessage) -> None:
        started = time.perf_counter()
        run_id = self.run_id(m.outlet, m.round_id)
        result = self.store.add(m.article, m.key, m.aliases, run_id=run_id,
                                fetched_key=m.fetched_key, source_modified=m.source_modified)
        # Committed: now the workers may skip these URLs.
        mark = max(now_iso(), m.source_modified or "")
        pipe = self.server.pipeline(transaction=False)
        pipe.hset(keys.known(m.outlet), mapping=dict.fromkeys({m.key, *m.aliases}, mark))
        pipe.hincrby(keys.OutletKeys(m.outlet).stats(m.round_id),
                     f"rasad/articles/{result.status}", 1)
        if result.reprint:
            pipe.hincrby(keys.OutletKeys(m.outlet).stats(m.round_id), "rasad/articles/reprint", 1)
        pipe.hset(keys.WRITER_SEEN, mapping={"last_commit": time.time(), "by": self.ident})
        pipe.hincrby(keys.WRITER_SEEN, "articles", 1)
        pipe.execute()
        self.report.articles[result.status] = self.report.articles.get(result.status, 0) + 1
        self.report.busy += time.perf_counter() - started

    # --- rounds → crawl_runs -------------------------------------------------------------------
    def run_id(self, outlet: str, round_id: str) -> int:
        """The crawl_runs row of an outlet's round, opened on its first sight (idempotent: the
        mapping lives in Redis, written right after the row commits)."""
        field_name = f"{outlet}:{round_id}"
        known = self.server.hget(keys.RUNS, field_name)
        if known is not None:
            return int(known)
        run_id = open_run(self.store.db, outlet)
        self.server.hset(keys.RUNS, field_name, run_id)
        self.report.runs_started += 1
        return run_id

    def end_run(self, outlet: str, round_id: str) -> None:
        run_id = self.run_id(outlet, round_id)
        row = self.store.db.conn.execute("SELECT outcome FROM crawl_runs WHERE id = ?",
                                         (run_id,)).fetchone()
        if row is not None and row[0] not in ("running", "crashed"):
            return  # a re-delivered run_end
        raw = self.server.hgetall(keys.OutletKeys(outlet).stats(round_id))
        stats = {keys.text(k): _number(v) for k, v in raw.items()}
        counts = run_counts(stats)
        outcome, reason = "ok", "finished"
        if counts["pages_fetched"] == 0 and counts["errors"]:
            outcome, reason = "failed", "no page could be fetched"
        close_run(self.store.db, run_id, outcome, reason, counts)
        self.report.runs_ended += 1
        outlet_def = self.config.outlets.get(outlet)
        if outlet_def is not None:
            _record_health(self.store.db, outlet_def)
        _dispatch_alerts(self.db_path, self.settings.get("RASAD_ALERTS") or None)

    def close(self) -> None:
        self._keeper.set()
        if keys.text(self.server.get(keys.WRITER_LOCK) or b"") == self.ident:
            self.server.delete(keys.WRITER_LOCK)
        self.store.db.conn.close()


def _number(value: bytes) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def _record_health(db: Any, outlet: Any) -> None:
    from crawler.service import health

    try:
        health.record(db, health.check(db, [outlet]))
    except Exception:  # a health-check bug must not stop the writer
        log.exception("health check of %s failed", outlet.id)


def _dispatch_alerts(db_path: str, alerts_path: str | None) -> None:
    """Send what the round queued, as a single-process crawl does at its end."""
    from crawler.alerts.config import load_alerts
    from crawler.alerts.dispatcher import dispatch_pending

    try:
        config = load_alerts(alerts_path)
        if config.enabled():
            report = dispatch_pending(db_path, config=config)
            for rep in report.channels.values():
                log.warning("alerts: %s", rep.summary())
    except Exception as exc:  # noqa: BLE001 - alerts stay in the outbox for the next dispatch
        log.warning("alerts: dispatch failed: %s: %s", type(exc).__name__, exc)


def stats_json(report: IngestReport) -> str:
    return json.dumps({"articles": report.articles, "written": report.written,
                       "runs_started": report.runs_started, "runs_ended": report.runs_ended,
                       "skipped": report.skipped,
                       "seconds": round(report.seconds, 3), "busy": round(report.busy, 3)})
