"""Writes the crawl_runs row of each crawl: opened when the spider opens, closed with its
figures when it closes. A run killed before closing stays 'running' until close_abandoned()."""
from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.components.storefail import STORE_ERRORS, failed, store_failed
from storage.db import connect
from storage.runs import close_abandoned, close_run, open_run

_OUTCOME = {"finished": "ok", "shutdown": "cancelled", "cancelled": "cancelled"}  # else failed
# Extraction reasons that say the transfer, not the layout, failed (empty, binary or cut pages):
# they do not count as article pages in the health check's body/date shares.
TRANSPORT_REASONS = frozenset({"empty", "binary", "not_html", "truncated"})


def run_counts(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl_runs figures from Scrapy's stats."""
    errors_by_kind = {k.removeprefix("rasad/errors/"): v for k, v in stats.items()
                      if k.startswith("rasad/errors/")}
    extract_failures = sum(v for k, v in stats.items()
                           if k.startswith("rasad/extract/") and k != "rasad/extract/ok")
    reasons = {k.removeprefix("rasad/extract/"): v for k, v in stats.items()
               if k.startswith("rasad/extract/")}
    # A sitemap skipped for its unchanged <lastmod> is answered 304 without a request.
    lastmod_skips = stats.get("rasad/conditional/lastmod_skipped", 0)
    return {
        "requests": stats.get("downloader/request_count", 0),
        "pages_fetched": stats.get("response_received_count", 0) - lastmod_skips,
        "responses_304": stats.get("downloader/response_status_count/304", 0) - lastmod_skips,
        "lastmod_skips": lastmod_skips,
        "articles_new": stats.get("rasad/articles/new", 0),
        "articles_updated": stats.get("rasad/articles/updated", 0)  # material change
        + stats.get("rasad/articles/revised", 0),  # minor change (storage/articles.py)
        "article_pages": sum(v for k, v in reasons.items() if k not in TRANSPORT_REASONS),
        "pages_with_body": reasons.get("ok", 0),
        "pages_with_date": stats.get("rasad/pages/with_date", 0),
        "articles_duplicate": stats.get("rasad/articles/duplicate", 0),
        "extract_failures": extract_failures,
        "errors": sum(errors_by_kind.values()),
        "errors_by_kind": errors_by_kind,
        "stats": {k: v for k, v in stats.items() if isinstance(v, int | float | str)},
    }


class RunRecord:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("RASAD_DB")
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecord:
        if not crawler.settings.get("RASAD_DB"):
            raise NotConfigured("RASAD_DB is not set")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        if failed(self.crawler):
            return  # the pipeline could not open the store: the crawl is closing
        try:
            db = connect(self.db_path)
            try:
                close_abandoned(db, spider.name)
                self.run_id = open_run(db, spider.name)
            finally:
                db.conn.close()
        except STORE_ERRORS as exc:
            store_failed(self.crawler, exc)
            return
        spider.run_id = self.run_id

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.run_id is None:
            return
        counts = run_counts(self.crawler.stats.get_stats())
        outcome = _OUTCOME.get(reason, "failed")
        if outcome == "ok" and counts["pages_fetched"] == 0 and counts["errors"]:
            outcome, reason = "failed", "no page could be fetched"
        if failed(self.crawler):
            outcome, reason = "failed", failed(self.crawler)
        try:
            db = connect(self.db_path)
            try:
                close_run(db, self.run_id, outcome, reason, counts)
                if not failed(self.crawler):
                    _record_health(db, spider)
            finally:
                db.conn.close()
        except STORE_ERRORS as exc:  # still failing: left 'running', closed as crashed later
            store_failed(self.crawler, exc)


def _record_health(db: Any, spider: Any) -> None:
    """Open or close the outlet's health incidents now that its run is recorded (logged once)."""
    from crawler.service import health  # late: health imports the config, not needed to count

    try:
        health.record(db, health.check(db, [spider.outlet]))
    except Exception:  # a health-check bug must not lose the run record written above
        logging.getLogger(__name__).exception("health check of %s failed", spider.name)
