"""A `rasad` process's start: the cyclic garbage collector is paused while the code is imported.

Importing Scrapy, Twisted, pydantic and rasad creates some 10^5 objects that live as long as
the process; the collector ran ~230 times over them before a crawl's first request (~50 ms of
CPU, 7% of the start). `pause()` (at the top of crawler.cli, only when that is the program) stops
it; `resume()` freezes what exists by then (the collector never scans it again, which also keeps
forked workers' copies of those pages shared) and turns it back on. Every command resumes: the
crawl once its spiders are built, before the reactor runs; the others before they start.

It then collects the youngest generation every YOUNG_THRESHOLD net allocations, not every 700:
a crawl's responses, requests, Deferreds and results are short-lived, and at 700 the collector
ran ~200 times over a 1,206-page crawl and moved survivors up (18 older collections of ~5 ms
each): 0.23 s of the crawl process's CPU, 0.05 s at 10,000 (9 collections), with the same
peak memory (the workers, forked after, inherit it)."""
from __future__ import annotations

import gc
import os
import sys

_paused = False
YOUNG_THRESHOLD = 10_000  # gc's first threshold once resumed (Python's default: 700)


def is_program() -> bool:
    """True in `rasad …` and `python -m crawler.cli …`, not when a test imports the CLI."""
    return os.path.basename(sys.argv[0]) == "rasad" or sys.orig_argv[1:3] == ["-m", "crawler.cli"]


def pause() -> None:
    global _paused
    if is_program() and gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up made and turn the collector back on (once; no-op if not paused)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()
