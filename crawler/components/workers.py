"""Per-page CPU work on every core: extraction, the text's fingerprints and what the store's
listeners can compute without the database (topic verdicts, search index words), done in a pool
of worker processes while the crawl process keeps Scrapy's reactor and the one SQLite writer.

- `RASAD_WORKERS` (the setting; crawler/settings.py reads the environment): worker processes;
  empty (default) = the cores this process may run on; 0 = none, everything in the crawl
  process (as before the pool).
- At most `IN_FLIGHT_PER_WORKER` pages per worker are handed over at once; the spider's callback
  waits for a slot, so Scrapy's scraper holds the rest of the responses and its memory limit
  (SCRAPER_SLOT_MAX_ACTIVE_SIZE) stops the downloader: memory stays flat whatever the pace.
- The work is a pure function of the page (`process_page`), so a page gives the same stored rows
  whether it ran in a worker or inline; the writes stay in the crawl process, in one writer.

The pool is one per process (a crawl process runs several outlets' spiders on one reactor).
Under `rasad crawl` a zygote process is forked before the reactor runs and forks the workers at
the first article page (a crawl with no article page to extract starts none); under `scrapy
crawl` they start from a forkserver at the first article page. A worker that dies is not
replaced: its pages, and later ones, are done inline."""
from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crawler.components.pool import Worker, WorkerLost, Zygote, spawn
from storage.record import Article
from storage.stories import Text

WORKERS_SETTING = "RASAD_WORKERS"
IN_FLIGHT_PER_WORKER = 2

log = logging.getLogger(__name__)
_pool: Pool | None = None
_zygote_process: Zygote | None = None


@dataclass
class PageJob:
    """One article page to work on (what crosses to a worker: the bytes, not the response)."""

    body: bytes
    url: str
    headers: dict[str, str]
    rules: Any  # crawler.config.outlets.ExtractRules | None
    outlet: str
    first_seen: str
    # (path, prepare_context) of each RASAD_STORE_LISTENERS listener, in order
    listeners: tuple[tuple[str, Any], ...] = ()


@dataclass
class PageResult:
    article: Article | None
    reason: str  # crawler.extract.REASONS
    text: Text | None = None  # the body's words, content hash and MinHash signature
    prepared: dict[str, Any] = field(default_factory=dict)  # listener path → its prepare()
    drift: Any = None  # crawler.extract.check.Drift: the outlet's rules did not fit the page
    bounded: bool = False  # read by the bounded paragraph reading (crawler.extract.Extraction)


def worker_count(value: Any = None) -> int:
    """RASAD_WORKERS as a number: empty → the usable cores; 0 → no pool. ValueError if bad."""
    if value in ("", None):
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise ValueError(f"{WORKERS_SETTING}={value!r}: expected a number of worker processes "
                         "(0 = none, empty = one per core)")
    return count


def process_page(job: PageJob) -> PageResult:
    """Extraction, fingerprints and the listeners' `prepare()`: everything per page that needs
    no database. Runs in a worker (or inline with RASAD_WORKERS=0)."""
    from crawler.extract import extract_page

    article, reason, _theme, drift, bounded = extract_page(
        job.body, job.url, headers=job.headers, rules=job.rules, outlet=job.outlet,
        first_seen=job.first_seen)
    if article is None:
        return PageResult(None, reason, drift=drift, bounded=bounded)
    prepared = {}
    for path, context in job.listeners:
        prepare = _prepare_function(path)
        if prepare is not None:
            try:
                prepared[path] = prepare(article, context)
            except Exception:  # noqa: BLE001 - the listener then runs it (and fails) in the store
                log.debug("prepare() of %s failed for %s", path, job.url, exc_info=True)
    return PageResult(article, reason, Text.of(article.body).compact(), prepared, drift,
                      bounded)


@lru_cache(maxsize=32)
def _prepare_function(path: str) -> Any:
    from scrapy.utils.misc import load_object

    return getattr(load_object(path), "prepare", None)


def listener_jobs(paths: list[str], settings: Any) -> tuple[tuple[str, Any], ...]:
    """(path, context) for each listener: what `process_page` needs to run their prepare()."""
    from scrapy.utils.misc import load_object

    out = []
    for path in paths:
        context_of = getattr(load_object(path), "prepare_context", None)
        out.append((path, context_of(settings) if context_of else None))
    return tuple(out)


class Pool:
    """The workers; at most IN_FLIGHT_PER_WORKER pages each at a time."""

    def __init__(self, workers: list[Worker]) -> None:
        self.workers = workers
        self.slots: asyncio.Semaphore | None = None

    async def run(self, job: PageJob) -> PageResult:
        if self.slots is None:
            self.slots = asyncio.Semaphore(IN_FLIGHT_PER_WORKER * max(1, len(self.workers)))
        async with self.slots:
            alive = [w for w in self.workers if w.alive]
            if not alive:
                return process_page(job)
            worker = min(alive, key=lambda w: len(w.pending))
            try:
                return await worker.submit(job)
            except WorkerLost:
                log.warning("a worker process died; page %s processed in the crawl process",
                            job.url)
                return process_page(job)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def start(count: int, method: str = "fork") -> None:
    """Prepare the pool of `count` processes (0: none). `rasad crawl` calls it before the
    reactor runs: the zygote is forked then, from a process with one thread and no connection
    yet, and forks the workers at the first article page. Started later (`scrapy crawl`), the
    workers come from a forkserver at once."""
    global _pool, _zygote_process
    if _pool is not None or _zygote_process is not None or count <= 0:
        return
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "fork":
        _zygote_process = Zygote(ctx, count)
    else:
        _pool = Pool(spawn(ctx, count))
    atexit.register(shutdown)


def shutdown() -> None:
    global _pool, _zygote_process
    if _pool is not None:
        _pool.close()
    if _zygote_process is not None:
        _zygote_process.close()
    _pool = _zygote_process = None


async def run(job: PageJob, count: int) -> PageResult:
    """`process_page(job)` in the pool (started with `count` workers if not running yet), or
    inline when `count` is 0."""
    global _pool
    if count <= 0:
        return process_page(job)
    if _pool is None:
        if _zygote_process is not None:
            _pool = Pool(_zygote_process.workers())
        else:
            start(count, "forkserver")
    assert _pool is not None
    return await _pool.run(job)
