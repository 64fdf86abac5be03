"""`rasad run`: crawl every outlet on its own schedule, for weeks, one child process per crawl.

- APScheduler 3 (BackgroundScheduler): one job per outlet, id = outlet id (replace_existing), its
  `interval` or `cron` from the config, with jitter; max_instances=1 and coalesce=True, so a
  crawl never overlaps itself and runs missed while busy or asleep become one.
- Each crawl is `python -m crawler.cli crawl --outlet ID …` in its own session: the Twisted
  reactor cannot restart, and a crashing outlet takes only its own process down.
- First runs come from each outlet's latest crawl_runs row: an outlet crawled recently waits for
  its next slot, overdue ones are spread out, so a restart does not crawl everything at once.
- SIGTERM/SIGINT: no new crawls; running ones get SIGTERM (Scrapy closes them as 'shutdown',
  recorded as cancelled); one still alive after the grace period is killed and its run marked
  cancelled; then exit 0.
- One `rasad run` per database (a lock file next to it).
- After each crawl and every `health_every` seconds: the health checks
  (crawler/service/health.py) open or close incidents, and new incidents go to the alert
  channels once.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config.outlets import Config, Outlet
from crawler.service import health
from crawler.service.triggers import cron_trigger, period_seconds
from storage.db import connect
from storage.health import last_started
from storage.runs import cancel_running, close_abandoned, live_runs

log = logging.getLogger("rasad.run")

MAX_STAGGER = 30.0  # seconds between overdue outlets' first crawls after a (re)start
MAX_JITTER = 300.0


class ServiceError(Exception):
    """rasad run cannot start (another one holds the database, …)."""


@dataclass
class Options:
    db_path: str
    config_path: str | None = None
    origins: dict[str, str] = field(default_factory=dict)
    parallel: int = 2  # crawls at the same time
    jitter: float | None = None  # seconds; None: 10 % of the outlet's period, at most 5 min
    grace: float = 10.0  # seconds a crawl gets to stop cleanly
    crawl_timeout: float = 3 * 3600.0  # a crawl running longer is stopped
    health_every: float = 900.0  # seconds between health checks without a crawl
    verbose: int = 0
    alerts_path: str | None = None  # alert channels (notices, the crawls' alerts)
    topics_path: str | None = None  # topic rules of the crawls
    progress: str = "lines"  # the crawls' progress display: their output goes to the log


def jitter_for(outlet: Outlet, jitter: float | None) -> float:
    if jitter is not None:
        return jitter
    return min(period_seconds(outlet) * 0.1, MAX_JITTER)


def trigger_for(outlet: Outlet, start: datetime, jitter: float | None = None) -> BaseTrigger:
    j = jitter_for(outlet, jitter) or None
    if outlet.cron:
        return cron_trigger(outlet.cron, j)
    return IntervalTrigger(seconds=period_seconds(outlet), start_date=start, timezone=UTC,
                           jitter=j)


def first_runs(outlets: list[Outlet], last: dict[str, datetime],
               now: datetime) -> dict[str, datetime]:
    """When each outlet is crawled first: its next slot after its latest crawl, or — never
    crawled or overdue — soon, the longest-waiting first, spread out rather than all at once."""
    first: dict[str, datetime] = {}
    overdue = []
    for outlet in outlets:
        previous = last.get(outlet.id)
        if previous is None:
            overdue.append(outlet)
            continue
        if outlet.cron:
            cron = cron_trigger(outlet.cron)
            due = cron.get_next_fire_time(None, previous + timedelta(seconds=1)) or now
        else:
            due = previous + timedelta(seconds=period_seconds(outlet))
        if due <= now:
            overdue.append(outlet)
        else:
            first[outlet.id] = due
    if overdue:
        oldest = datetime.min.replace(tzinfo=UTC)
        overdue.sort(key=lambda o: last.get(o.id) or oldest)
        shortest = min(period_seconds(o) for o in overdue)
        spread = min(MAX_STAGGER, shortest / len(overdue))
        for i, outlet in enumerate(overdue):
            first[outlet.id] = now + timedelta(seconds=i * spread)
    return first


class Service:
    def __init__(self, config: Config, outlets: list[Outlet], options: Options) -> None:
        self.config = config
        self.outlets = {o.id: o for o in outlets}
        self.opt = options
        self.stopping = threading.Event()
        self.children: dict[str, subprocess.Popen[str]] = {}
        self.lock = threading.Lock()
        self.active = 0  # crawl jobs between start and their bookkeeping's end
        self.idle = threading.Condition(self.lock)
        self.scheduler: BackgroundScheduler | None = None
        self._lockfile: Any = None

    # --- life cycle ------------------------------------------------------------------------
    def start(self) -> dict[str, datetime]:
        self._take_lock()
        now = datetime.now(UTC)
        db = connect(self.opt.db_path)
        try:
            close_abandoned(db)  # crawls of a previous service that died with it
            first = first_runs(list(self.outlets.values()), last_started(db), now)
        finally:
            db.conn.close()
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max(1, self.opt.parallel)),
                       "health": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        for outlet_id, when in sorted(first.items(), key=lambda kv: kv[1]):
            outlet = self.outlets[outlet_id]
            scheduler.add_job(self.crawl, trigger_for(outlet, when, self.opt.jitter),
                              args=[outlet_id], id=outlet_id, name=f"crawl {outlet_id}",
                              replace_existing=True, next_run_time=when)
            schedule = f"cron '{outlet.cron}'" if outlet.cron else f"every {outlet.interval}"
            log.info("%s: %s, first crawl %s", outlet_id, schedule,
                     when.strftime("%Y-%m-%d %H:%M:%S UTC"))
        scheduler.add_job(self.check_health, IntervalTrigger(seconds=self.opt.health_every,
                                                             timezone=UTC),
                          id="health", name="health checks", executor="health",
                          replace_existing=True)
        scheduler.start()
        self.scheduler = scheduler
        return first

    def serve(self) -> None:
        """Run until SIGTERM or SIGINT, then stop cleanly."""
        def on_signal(signum: int, _frame: object) -> None:
            log.info("%s: stopping", signal.Signals(signum).name)
            self.stopping.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not self.stopping.wait(1.0):
                pass
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def stop(self) -> None:
        self.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        with self.lock:
            children = dict(self.children)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # Scrapy: close as 'shutdown' → cancelled
        deadline = time.monotonic() + self.opt.grace
        for outlet_id, child in children.items():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._kill(outlet_id, child, f"killed after {self.opt.grace:g}s stopping rasad run")
        with self.idle:  # let the jobs record what their children did
            self.idle.wait_for(lambda: self.active == 0, timeout=self.opt.grace)
        self._release_lock()
        if self.scheduler is not None:
            log.info("stopped")

    def _take_lock(self) -> None:
        path = Path(f"{self.opt.db_path}.run.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise ServiceError(f"another `rasad run` (pid {holder}) is using "
                               f"{self.opt.db_path} ({path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lockfile = handle

    def _release_lock(self) -> None:
        if self._lockfile is not None:
            fcntl.flock(self._lockfile, fcntl.LOCK_UN)
            self._lockfile.close()
            self._lockfile = None

    # --- one crawl ---------------------------------------------------------------------------
    def command(self, outlet_id: str) -> list[str]:
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--outlet", outlet_id,
               "--db", str(self.opt.db_path), "--json"]
        if self.opt.config_path:
            cmd += ["--config", str(self.opt.config_path)]
        for origin_id, origin in self.opt.origins.items():
            cmd += ["--origin", f"{origin_id}={origin}"]
        if self.opt.alerts_path:
            cmd += ["--alerts", str(self.opt.alerts_path)]
        if self.opt.topics_path:
            cmd += ["--topics", str(self.opt.topics_path)]
        return cmd + ["--progress", self.opt.progress] + ["-v"] * self.opt.verbose

    def crawl(self, outlet_id: str) -> None:
        if self._crawling_elsewhere(outlet_id):
            return
        with self.lock:
            if self.stopping.is_set() or outlet_id in self.children:
                return
            started = time.monotonic()
            child = subprocess.Popen(self.command(outlet_id), stdout=subprocess.PIPE, text=True,
                                     start_new_session=True)
            self.children[outlet_id] = child
            self.active += 1
        log.info("%s: crawl started (pid %d)", outlet_id, child.pid)
        try:
            try:
                out, _ = child.communicate(timeout=self.opt.crawl_timeout)
            except subprocess.TimeoutExpired:
                log.warning("%s: crawl still running after %s: stopping it", outlet_id,
                            health.duration(self.opt.crawl_timeout))
                child.send_signal(signal.SIGTERM)
                try:
                    out, _ = child.communicate(timeout=self.opt.grace)
                except subprocess.TimeoutExpired:
                    self._kill(outlet_id, child, "killed: crawl timeout")
                    out, _ = child.communicate()
            self._finished(outlet_id, child, out or "", time.monotonic() - started)
        finally:
            with self.idle:
                self.children.pop(outlet_id, None)
                self.active -= 1
                self.idle.notify_all()

    def _crawling_elsewhere(self, outlet_id: str) -> bool:
        """A crawl of the outlet outside this service (`rasad crawl`, or a child a killed
        service left running) is under way: this slot is skipped rather than run twice."""
        db = connect(self.opt.db_path)
        try:
            pids = live_runs(db, outlet_id)
        finally:
            db.conn.close()
        if pids:
            log.warning("%s: already being crawled (pid %s): slot skipped", outlet_id,
                        ", ".join(map(str, pids)))
        return bool(pids)

    def _kill(self, outlet_id: str, child: subprocess.Popen[str], reason: str) -> None:
        child.kill()
        child.wait()
        db = connect(self.opt.db_path)
        try:
            cancel_running(db, child.pid, reason)
        finally:
            db.conn.close()
        log.warning("%s: %s (pid %d)", outlet_id, reason, child.pid)

    def _finished(self, outlet_id: str, child: subprocess.Popen[str], out: str,
                  seconds: float) -> None:
        summary = next((json.loads(line) for line in out.splitlines()
                        if line.startswith("{")), None)
        db = connect(self.opt.db_path)
        try:
            if self.stopping.is_set() and child.returncode and child.returncode < 0:
                # stopped before Scrapy's own signal handlers were in place
                cancel_running(db, child.pid, "stopped by rasad run")
            crashed = close_abandoned(db, outlet_id)  # killed before Scrapy closed its run
            if crashed:
                log.warning("%s: crawl process died (exit %s): run marked crashed", outlet_id,
                            child.returncode)
            if summary is not None:
                log.info("%s: %s in %.1fs: requests %d (304: %d), new %d, updated %d, "
                         "duplicate %d, not articles %d, errors %d", outlet_id,
                         summary.get("finish_reason"), seconds, summary.get("requests", 0),
                         summary.get("responses_304", 0), summary.get("articles_new", 0),
                         summary.get("articles_updated", 0),
                         summary.get("articles_duplicate", 0),
                         summary.get("extract_failures", 0), summary.get("errors", 0))
            elif child.returncode and not crashed:
                log.warning("%s: crawl exited with status %s", outlet_id, child.returncode)
            self._health(db, [self.outlets[outlet_id]])
        finally:
            db.conn.close()

    # --- health ------------------------------------------------------------------------------
    def check_health(self) -> None:
        db = connect(self.opt.db_path)
        try:
            self._health(db, list(self.outlets.values()))
        finally:
            db.conn.close()

    def _health(self, db: Any, outlets: list[Outlet]) -> None:
        try:
            health.record(db, health.check(db, outlets))
            health.announce(db, self.opt.alerts_path)
        except Exception:  # the service outlives a bug in a check or a channel
            log.exception("health check failed")
