"""Runs one crawl pass of several outlets in this process (one Twisted reactor, so once per
process: the scheduler starts each pass in a child process)."""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

# Scrapy's HTTP handler, imported without its TLS modules' inspect.stack() calls (connect_to.py).
import crawler.components.connect_to  # noqa: F401
from crawler import startup
from crawler.components import workers
from crawler.components.runs import run_counts
from crawler.config.outlets import Config


@dataclass
class OutletResult:
    outlet: str
    counts: dict[str, Any]
    finish_reason: str


def scrapy_settings(
    config: Config, db_path: str, origins: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("RASAD_CONFIG", config.path, priority="cmdline")
    settings.set("RASAD_DB", str(db_path), priority="cmdline")
    settings.set("RASAD_ORIGINS", dict(origins or {}), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawl(
    config: Config, outlet_ids: Sequence[str], db_path: str,
    origins: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None,
) -> list[OutletResult]:
    outlets = config.select(outlet_ids)
    settings = scrapy_settings(config, db_path, origins, overrides)
    if logging.getLevelName(settings.get("LOG_LEVEL") or "DEBUG") > logging.INFO:
        # Its INFO "Versions" record would be dropped: not worth importing and asking ten
        # libraries for their versions (~4 ms of the start).
        settings.set("LOG_VERSIONS", [], priority="cmdline")
    process = CrawlerProcess(settings)  # LOG_INSTALL_ROOT_HANDLER defaults to True
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so each response's
    # DEBUG "Crawled"/"Scraped" record is built, then dropped: filter at the logger instead.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(outlet.id)  # spiders.outlets.OutletSpiderLoader
        crawlers.append((outlet.id, crawler))
        process.crawl(crawler)
    # The code is loaded: the collector back on, without scanning it again. Before the fork,
    # so the zygote and its workers inherit a running collector and the frozen objects.
    startup.resume()
    # Forked now, while only this thread runs (the reactor's threads start with it).
    workers.start(workers.worker_count(settings.get("RASAD_WORKERS")))
    try:
        process.start()
    finally:
        workers.shutdown()
    results = []
    for outlet_id, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        results.append(OutletResult(outlet_id, run_counts(stats),
                                    str(stats.get("finish_reason", "not started"))))
    return results
