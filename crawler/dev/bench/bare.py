"""The ceiling of the crawl benchmark: Scrapy fetching a list of URLs and doing nothing else
(same settings as rasad: robots.txt, AutoThrottle, per-domain concurrency; no extraction, no
storage). Run as `python -m crawler.dev.bench.bare URLS_FILE CONCURRENCY`; prints JSON stats."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self):  # noqa: ANN201
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> None:
        return None


def main() -> None:
    urls = Path(sys.argv[1]).read_text().split()
    concurrency = int(sys.argv[2])
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # No request guard (crawler/guard/): it lets an outlet's spider reach only that outlet, and
    # this spider is no outlet's.
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                   "crawler.guard.middleware.RequestGuard": None}
    settings.setdict({"DOWNLOADER_MIDDLEWARES": middlewares,
                      "TWISTED_DNS_RESOLVER": "scrapy.resolver.CachingThreadedResolver"},
                     priority="cmdline")
    settings.setdict({"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "LOG_LEVEL": "WARNING",
                      "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0,
                      "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                      "AUTOTHROTTLE_TARGET_CONCURRENCY": float(concurrency)}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    print(json.dumps(crawler.stats.get_stats(), default=str))


if __name__ == "__main__":
    main()
