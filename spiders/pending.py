"""Article pages found by discovery, released to Scrapy's scheduler a few at a time.

A sitemap or feed can list thousands of articles at once. Scheduled straight away, each one
would wait in the scheduler as a `Request` (~0.7 KB with its meta, plus the scheduler's own
bookkeeping) until fetched, so a crawl's memory grew with the number of articles it found. Here
they wait as their URL only, and a few are released whenever the scheduler runs low: when a
response arrives, when a discovery page has been parsed, and when the engine would otherwise go
idle (the crawl then does not close while some are waiting). Which pages are fetched, and which
are skipped as stored or already scheduled, is unchanged: the spider decides that when it finds
them (spiders/base.py `_article`).

Worker mode (spiders/worker.py) does not use this: there the shared Redis frontier is the
scheduler, and an article must be in it to be taken by any worker or survive a worker's death."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider

# Requests kept in the scheduler while articles wait: enough for every download slot to stay
# busy between two releases (CONCURRENT_REQUESTS, 16 by default, twice over).
LOW_WATER_PER_SLOT = 2


class PendingArticles:
    """Article URLs waiting to be requested (last found, first released: the order Scrapy's
    own LIFO scheduler gave them)."""

    def __init__(self, crawler: Any, make_request: Callable[[str], Request]) -> None:
        self.crawler = crawler
        self.make_request = make_request
        self.urls: list[str] = []
        self.most = 0
        self.low_water = LOW_WATER_PER_SLOT * max(1, crawler.settings.getint("CONCURRENT_REQUESTS"))
        crawler.signals.connect(self.release, signal=signals.response_received)
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)

    def __len__(self) -> int:
        return len(self.urls)

    def add(self, url: str) -> None:
        self.urls.append(url)
        if len(self.urls) > self.most:  # in the stats: how many waited here at most
            self.most = len(self.urls)
            self.crawler.stats.set_value("rasad/articles/waiting_max", self.most)

    def release(self, *_args: Any, **_kwargs: Any) -> None:
        """Schedule waiting articles until the scheduler holds `low_water` requests."""
        if not self.urls:
            return
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine is not None else None
        if scheduler is None or engine.spider is None:
            return
        room = self.low_water - len(scheduler)
        while room > 0 and self.urls:
            engine.crawl(self.make_request(self.urls.pop()))
            room -= 1
        # and how many requests the scheduler held then (discovery pages included)
        self.crawler.stats.max_value("rasad/scheduler/max", len(scheduler))

    def on_idle(self, *_args: Any, **_kwargs: Any) -> None:
        if self.urls:
            self.release()
            raise DontCloseSpider
