"""The Scrapy side of a worker (with spiders/worker.py, the spider's part): the spider
middleware that ends a lease once a response's output is scheduled, the pipeline that pushes
articles to the writer's stream, and the extension that beats, flushes the round's figures and
decides when the shared crawl is over."""
from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.cluster import keys
from crawler.cluster.frontier import redis_lost
from crawler.cluster.stream import ArticleMessage
from crawler.components.items import FoundArticle
from crawler.components.pipelines import article_keys
from storage.db import now_iso

log = logging.getLogger(__name__)
# The Scrapy stats that make a crawl_runs row (crawler.components.runs.run_counts); each worker
# adds its share to the round's hash in Redis, the writer reads the sum.
_SHARED_STATS = ("downloader/request_count", "response_received_count",
                 "downloader/response_status_count/", "rasad/")


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(2).hex()}"


class LeaseRelease:
    """Spider middleware, closest to the engine: a response's lease ends once everything its
    callback produced has been handled, each request queued (SharedScheduler.enqueue_request)
    and each article pushed to the stream (the item signals), not when the callback returns:
    Scrapy's scraper reads a callback's output ahead of handling it (a queue of
    2 × CONCURRENT_ITEMS), so a lease released at the callback's end is gone while its last
    article or requests are still in that process's memory, and a worker killed then loses
    them for the round."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseRelease:
        if not crawler.settings.get("RASAD_REDIS_URL"):
            raise NotConfigured("not a worker")
        mw = cls(crawler)
        for signal in (signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(mw.item_handled, signal=signal)
        crawler.signals.connect(mw.item_error, signal=signals.item_error)
        return mw

    def process_spider_output(self, response: Any, result: Iterable[Any],
                              spider: Any = None) -> Iterable[Any]:
        token = _lease(response)
        try:
            for output in result:
                self._expect(token, output)
                yield output
        finally:
            if token:
                self.crawler.spider.frontier.outputs_ended(token)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        token = _lease(response)
        try:
            async for output in result:
                self._expect(token, output)
                yield output
        finally:
            if token:
                self.crawler.spider.frontier.outputs_ended(token)

    def _expect(self, token: str | None, output: Any) -> None:
        if token is None or output is None:  # the scraper skips None
            return
        if isinstance(output, Request):
            output.meta["rasad_parent"] = token  # SharedScheduler counts it back
        self.crawler.spider.frontier.expect_output(token)

    def item_handled(self, item: Any, response: Any = None, spider: Any = None) -> None:
        token = _lease(response)
        if token:
            self.crawler.spider.frontier.output_handled(token)

    def item_error(self, item: Any, response: Any = None, spider: Any = None,
                   failure: Any = None) -> None:
        if failure is not None and failure.check(redis.RedisError):
            # Not pushed: keep the lease (it goes back to the queue when this worker's
            # heartbeat lapses) and stop.
            redis_lost(self.crawler.spider, failure.value)
            return
        self.item_handled(item, response)


def _lease(response: Any) -> str | None:
    request = getattr(response, "request", None)
    return request.meta.get("rasad_lease") if request is not None else None


class StreamPipeline:
    """Item pipeline (worker mode): the article goes to the writer's stream, not to SQLite."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> StreamPipeline:
        if not crawler.settings.get("RASAD_REDIS_URL"):
            raise NotConfigured("not a worker")
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        marks = spider.frontier.server.hgetall(keys.known(spider.outlet.id))
        spider.known.stored_marks({k.decode(): v.decode() for k, v in marks.items()})

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, FoundArticle):
            return item
        spider = spider or self.crawler.spider
        article = item.article
        key, fetched_key, aliases = article_keys(spider.outlet, article, item.urls)
        revisit_for = spider.known.taken(aliases | {key})
        article.canonical_url = key
        frontier = spider.frontier
        message = ArticleMessage(spider.outlet.id, frontier.round_id or "", article, key,
                                 fetched_key, sorted(aliases), revisit_for)
        frontier.server.xadd(keys.STREAM, message.fields(frontier.worker_id))
        spider.known.stored(aliases | {key}, max(now_iso(), revisit_for or ""))
        self.crawler.stats.inc_value("rasad/articles/pushed")
        return item


class WorkerExtension:
    """Heartbeat, the round's figures, and the end of the shared crawl (spider_idle)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.ttl = crawler.settings.getfloat("RASAD_WORKER_TTL")
        self.flushed: dict[str, float] = {}
        self.loop: task.LoopingCall | None = None
        self.last_requeue = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerExtension:
        if not crawler.settings.get("RASAD_REDIS_URL"):
            raise NotConfigured("not a worker")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.spider = spider
        _OPEN.add(id(self))
        self.beat()
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(1.0, now=False)

    def beat(self) -> None:
        try:
            self._beat()
        except redis.RedisError as exc:
            # Past keys.connect's retries. A LoopingCall whose call raises stops for good: this
            # worker would stop beating, and the others take its leases over and over.
            log.warning("%s: heartbeat failed, next one in 1 s: %s", self.spider.name, exc)

    def _beat(self) -> None:
        frontier = self.spider.frontier
        now = time.time()
        info = {"pid": os.getpid(), "host": socket.gethostname()}
        pipe = frontier.server.pipeline(transaction=False)
        pipe.set(keys.worker_key(frontier.worker_id), json.dumps(info), px=int(self.ttl * 1000))
        pipe.zadd(keys.WORKERS, {frontier.worker_id: now})
        pipe.execute()
        self.flush_stats()
        if now - self.last_requeue >= self.ttl / 2:
            self.last_requeue = now
            self._requeue_dead()

    def _requeue_dead(self) -> None:
        returned = self.spider.frontier.requeue_dead()
        if returned:
            log.warning("%s: %d request(s) of a worker that stopped went back to the queue",
                        self.spider.name, returned)
            self.crawler.stats.inc_value("rasad/cluster/requeued", returned)

    def flush_stats(self) -> None:
        stats = self.crawler.stats.get_stats()
        deltas = {}
        for name, value in stats.items():
            if isinstance(value, int | float) and name.startswith(_SHARED_STATS):
                delta = value - self.flushed.get(name, 0)
                if delta:
                    deltas[name] = delta
                    self.flushed[name] = value
        self.spider.frontier.add_stats(deltas)

    def spider_idle(self, spider: Any) -> None:
        frontier = spider.frontier
        if self.crawler.stats.get_value("rasad/cluster/refused"):
            raise CloseSpider("config_mismatch")
        self._requeue_dead()
        # Idle means nothing of ours is downloading or being processed: a lease still held is
        # one no code path released. Re-queue it rather than lose the page (fetching it twice
        # is harmless), and count it: tests require zero.
        leaked = frontier.requeue_mine()
        if leaked:
            log.warning("%s: %d lease(s) left while idle went back to the queue",
                        spider.name, leaked)
            self.crawler.stats.inc_value("rasad/cluster/leaked", leaked)
        self.flush_stats()
        if frontier.finish_round(now_iso()) == 0:
            raise DontCloseSpider  # queued work (ours to take) or other workers' leases

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush_stats()
        _OPEN.discard(id(self))
        if not _OPEN:  # the process's last outlet: this worker is gone, not dead
            spider.frontier.server.delete(keys.worker_key(spider.frontier.worker_id))


_OPEN: set[int] = set()  # the open outlets' extensions of this process (one heartbeat key)
