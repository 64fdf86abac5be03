"""The first failed write to the store stops the crawl: one line naming the file and the cause,
the reason in the stats (`rasad/store_error`), the spider closed with `store_failed`.

Every component that writes (the storage pipeline, the run record, the incremental state, the
canary) hands its sqlite3/StoreError here instead of letting Scrapy log a traceback and go on
fetching pages it cannot keep. `rasad crawl` then exits with status 3."""
from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from storage.db import StoreError

STORE_LOG = "rasad.store"
log = logging.getLogger(STORE_LOG)

REASON = "store_failed"
STAT = "rasad/store_error"
STORE_ERRORS = (sqlite3.Error, StoreError)


def failed(crawler: Any) -> str | None:
    """The store error of this crawl, if there was one."""
    return crawler.stats.get_value(STAT) if crawler.stats else None


def store_failed(crawler: Any, exc: BaseException) -> str:
    """Record the first failure, log it once, and close the spider; later ones are ignored."""
    previous = failed(crawler)
    if previous:
        return previous
    error = exc if isinstance(exc, StoreError) else \
        StoreError(crawler.settings.get("RASAD_DB"), exc)
    message = str(error)
    crawler.stats.set_value(STAT, message)
    log.error("%s: %s", getattr(crawler.spider, "name", "crawl"), message)
    _close(crawler)
    return message


class StoreClosed(IgnoreRequest):
    """A queued request dropped because the store failed (not the outlet's error)."""


def _drop_queued(engine: Any) -> None:
    """Requests waiting in the downloader's per-site queues would still be fetched while the
    spider closes (Scrapy lets every accepted request finish); nothing could keep their pages."""
    for slot in list(getattr(engine.downloader, "slots", {}).values()):
        queue = getattr(slot, "queue", None)
        while queue:
            _request, waiting = queue.popleft()
            waiting.errback(Failure(StoreClosed("not fetched: the store failed")))


def _close(crawler: Any) -> None:
    from twisted.internet import reactor

    engine = getattr(crawler, "engine", None)
    if engine is None:
        return
    _drop_queued(engine)

    def close() -> None:
        if engine.spider is None:
            return
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason=REASON)).addErrback(lambda _: None)

    # Not from inside the signal handler or pipeline call that failed: the engine may still be
    # opening the spider, and closing must wait for that step to end.
    reactor.callLater(0, close)  # type: ignore[attr-defined]
