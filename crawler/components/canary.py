"""A canary for silent layout changes.

When a page at an article URL arrives whole (not empty, binary or cut off) and still gives no
article, either that page is odd (a video post, a stub) or the site's layout changed. To tell
them apart at once, the crawl re-reads the outlet's newest stored article — one that extracted
fine before — once per crawl: still fine → the page was odd; nothing → the layout changed
(`rasad/canary/failed`, which crawler/service/health.py reports as "extraction broken" even when a
single new article arrived). Unchanged outlets bring no article pages and cost no canary.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.components import storefail
from crawler.components.items import FoundArticle
from storage.db import connect
from storage.health import canary_url

log = logging.getLogger(__name__)


class Canary:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.sent = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> Canary:
        if not crawler.settings.get("RASAD_DB"):
            raise NotConfigured("RASAD_DB is not set")
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]
                              ) -> Iterable[Any]:
        extracted = False
        for item in result:
            extracted = extracted or isinstance(item, FoundArticle)
            yield item
        follow = self._after(response, extracted)
        if follow is not None:
            yield follow

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]
                                          ) -> AsyncIterator[Any]:
        extracted = False
        async for item in result:
            extracted = extracted or isinstance(item, FoundArticle)
            yield item
        follow = self._after(response, extracted)
        if follow is not None:
            yield follow

    def _whole_page(self, response: Response) -> bool:
        # late: importing crawler.extract (all of it, via its package) is a worker's job
        from crawler.extract.guard import check_bytes

        return 200 <= response.status < 300 and \
            check_bytes(response.body, response.headers.to_unicode_dict()) is None

    def _after(self, response: Response, extracted: bool) -> Request | None:
        kind = response.meta.get("rasad_kind")
        stats = self.crawler.stats
        spider = self.crawler.spider
        if kind == "canary":
            if extracted:
                stats.inc_value("rasad/canary/ok")
            elif self._whole_page(response):
                stats.inc_value("rasad/canary/failed")
                log.warning("%s: %s extracted before and gives nothing now: layout changed?",
                            spider.name, response.url)
            return None
        if kind != "article" or extracted or self.sent or not self._whole_page(response):
            return None
        self.sent = True
        try:
            db = connect(self.crawler.settings.get("RASAD_DB"))
            try:
                url = canary_url(db, spider.name, exclude=response.url)
            finally:
                db.conn.close()
        except storefail.STORE_ERRORS as exc:
            storefail.store_failed(self.crawler, exc)
            return None
        if url is None:
            return None
        stats.inc_value("rasad/canary/sent")
        return Request(url, callback=spider.parse_article, errback=spider.on_error,
                       meta={"rasad_kind": "canary"}, dont_filter=True)
