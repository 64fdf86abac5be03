"""Runs one crawl pass of several outlets in this process (one Twisted reactor, so once per
process: the scheduler starts each pass in a child process)."""
from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

from crawler import startup


def _frames(context: int = 1) -> list[tuple[FrameType]]:
    frames, frame = [], sys._getframe(1)  # noqa: SLF001
    while frame is not None:
        frames.append((frame,))
        frame = frame.f_back
    return frames


def _module_of(obj: object, _filename: str | None = None) -> object:
    return sys.modules.get(getattr(obj, "f_globals", {}).get("__name__", ""))


# Scrapy's TLS context factory modules call inspect.stack() three times at import (a deprecation
# shim naming the module that made a class), which reads the source of every frame of the stack,
# then inspect.getmodule(), which scans every loaded module: ~30 ms of every crawl's start. Only
# the frame and its module are used, so for this one import both are answered from the frames.
_stack, _getmodule = inspect.stack, inspect.getmodule
inspect.stack, inspect.getmodule = _frames, _module_of  # type: ignore[assignment]
try:
    import scrapy.core.downloader.handlers.http11  # noqa: F401
finally:
    inspect.stack, inspect.getmodule = _stack, _getmodule
from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.settings import Settings  # noqa: E402

from crawler.components import workers  # noqa: E402
from crawler.components.runs import run_counts  # noqa: E402
from crawler.config.outlets import Config  # noqa: E402


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
