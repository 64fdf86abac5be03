"""Runs one crawl pass of several outlets in this process (one Twisted reactor, so once per
process: the scheduler starts each pass in a child process)."""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Imported here, near the bottom of the stack: its TLS context factory module calls
# inspect.stack() three times at import (a deprecation shim naming its module), which reads the
# source of every frame; inside the engine's start-up, ~50 frames deep, that took ~0.1 s.
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

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
    process = CrawlerProcess(settings)  # LOG_INSTALL_ROOT_HANDLER defaults to True
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so each response's
    # DEBUG "Crawled"/"Scraped" record is built, then dropped: filter at the logger instead.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(outlet.id)  # spiders.outlets.OutletSpiderLoader
        crawlers.append((outlet.id, crawler))
        process.crawl(crawler)
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
