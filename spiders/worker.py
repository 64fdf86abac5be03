"""Worker mode of the outlet spider (`rasad crawl --redis`): the spider joins or starts the
outlet's shared round instead of always seeding its entry points, and a failed request's lease
ends in its errback. spiders.outlets.OutletSpiderLoader hands out these classes when the
RASAD_REDIS_URL setting is set; the rest of the worker is crawler/cluster/."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from crawler.cluster import keys
from crawler.cluster.frontier import Frontier
from storage.db import now_iso


def worker_spider(base: type) -> type:
    """The outlet's spider class, working as a worker (RASAD_REDIS_URL, RASAD_WORKER_ID)."""

    class Worker(base):  # type: ignore[misc,valid-type]
        lazy_articles = False  # the shared frontier must hold every article found

        @classmethod
        def update_settings(cls, settings: Any) -> None:
            super().update_settings(settings)
            # The delay becomes global (crawler.cluster.politeness); Scrapy's is per process.
            settings.set("RASAD_REDIS_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority=50)
            settings.set("DOWNLOAD_DELAY", 0.0, priority=50)
            settings.set("AUTOTHROTTLE_ENABLED", False, priority=50)

        @classmethod
        def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
            spider = super().from_crawler(crawler, *args, **kwargs)
            server = keys.connect(crawler.settings.get("RASAD_REDIS_URL"))
            spider.frontier = Frontier(server, spider.outlet.id,
                                       crawler.settings.get("RASAD_WORKER_ID"))
            fingerprints = crawler.settings.getdict("RASAD_CONFIG_FP")
            spider.config_fp = fingerprints.get(spider.outlet.id, "")
            return spider

        async def start(self) -> AsyncIterator[Any]:
            verdict = self.frontier.begin_round(now_iso(), self.config_fp)
            if verdict == "refused":  # the CLI checked first; this closes the race
                self.crawler.stats.set_value("rasad/cluster/refused", 1)
                self.logger.error("%s: the running crawl uses another config of this outlet",
                                  self.outlet.id)
                return
            if verdict == "joined":
                self.logger.info("joined round %s of %s", self.frontier.round_id, self.name)
                return
            self.logger.info("started round %s of %s", self.frontier.round_id, self.name)
            async for request in super().start():
                yield request

        def on_error(self, failure: Any) -> None:
            super().on_error(failure)
            token = failure.request.meta.pop("rasad_lease", None)
            if token:
                self.frontier.release(token)

    Worker.__name__ = base.__name__
    Worker.__qualname__ = base.__qualname__
    return Worker


