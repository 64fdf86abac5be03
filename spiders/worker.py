"""Worker mode of the outlet spider (`rasad crawl --redis`): the spider joins or starts the
outlet's shared round instead of always seeding its entry points, and a failed request's lease
ends in its errback. spiders.outlets.OutletSpiderLoader hands out these classes when the
RASAD_REDIS_URL setting is set; the rest of the worker is crawler/cluster/."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from storage.db import now_iso


def worker_spider(base: type) -> type:
    """The outlet's spider class, working as a worker (RASAD_REDIS_URL, RASAD_WORKER_ID)."""
    # Imported here, not at the top: Scrapy's spider loader imports every module of spiders/,
    # and redis with scrapy-redis cost every single-process crawl ~40 ms of its start.
    from crawler.cluster import keys
    from crawler.cluster.frontier import Frontier

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

        def on_error(self, failure: Any) -> list[Any] | None:
            request = failure.request
            retry = self._retry(failure)
            if retry is not None:
                # Its lease ends as the retry is queued (SharedScheduler, one Lua script).
                return [retry]
            super().on_error(failure)
            token = request.meta.pop("rasad_lease", None)
            if token:
                if _transient(failure, self.crawler.settings):
                    tries = request.meta.get("rasad_attempt", 1)
                    self._inc("cluster/gave_up")
                    self.frontier.gave_up(request.url, tries, _error_kind(failure))
                    self.logger.warning("gave up on %s after %d attempts (%s)", request.url,
                                        tries, _error_kind(failure))
                self.frontier.release(token)
            return None

        def _retry(self, failure: Any) -> Any:
            """A download that failed after Scrapy's own retries (a timeout, a 503 under load)
            goes back to the shared queue, behind what is queued, until RASAD_WORKER_ATTEMPTS
            attempts (each with Scrapy's retries) failed: worker mode has no retry table."""
            request = failure.request
            tries = request.meta.get("rasad_attempt", 1)
            limit = self.crawler.settings.getint("RASAD_WORKER_ATTEMPTS")
            if not request.meta.get("rasad_lease") or tries >= limit or \
                    not _transient(failure, self.crawler.settings):
                return None
            meta = {k: v for k, v in request.meta.items()
                    if k not in _PER_TRY and not k.startswith("_")}
            self._inc("cluster/retried")
            self.logger.info("attempt %d of %d failed (%s), queued again: %s", tries, limit,
                             _error_kind(failure), request.url)
            return request.replace(meta={**meta, "rasad_attempt": tries + 1},
                                   priority=request.priority - 1, dont_filter=True)

    Worker.__name__ = base.__name__
    Worker.__qualname__ = base.__qualname__
    return Worker


# Per download, not per request: Scrapy's retry count, the politeness and download slots and
# the latency of the failed try (a redirect trail stays: it names the article's other URLs).
_PER_TRY = frozenset({"retry_times", "rasad_slot", "download_slot", "download_latency"})


def _transient(failure: Any, settings: Any) -> bool:
    """Worth another try later in the round: a network error or timeout, or one of Scrapy's
    RETRY_HTTP_CODES (5xx, 429, 408); not a 404, nor a request rasad refused itself."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        codes = {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
        return failure.value.response.status in codes
    return not failure.check(IgnoreRequest)


def _error_kind(failure: Any) -> str:
    response = getattr(failure.value, "response", None)
    return f"http_{response.status}" if response is not None else type(failure.value).__name__
