"""Scrapy's in-memory stats collector without its per-call deprecation hook (STATS_CLASS).

Scrapy 2.13+ routes every attribute access of its stats collector through `__getattribute__`
(an f-string and a failed lookup) and wraps each stats method in a checker that warns when a
`spider` argument is passed: ~1.4 µs per `inc_value` against ~0.1 µs for the dict update
itself, and a crawl makes some 20-40 calls per page (the downloader stats, the scheduler, core
stats, rasad's own counters). Same methods, same values; only the warning is gone (nothing
here passes a spider)."""
from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class Stats(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__  # type: ignore[assignment]
