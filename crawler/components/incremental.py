"""Incremental crawls: conditional requests for entry points, and a retry queue for articles.

Entry points (robots.txt, home, feeds, sitemaps, listing pages) are requested with the ETag /
Last-Modified their last complete processing returned. A 304 reaches the spider with
`meta["rasad_children"]`: the feeds, sitemaps and section pages that page led to last time, which
the spider requests again (conditionally too) instead of parsing anything. A sitemap whose
`<lastmod>` in its index is the one it had when it was last processed is not requested at all
(answered here with a 304 of our own, counted as `rasad/conditional/lastmod_skipped`).

Validators are saved only when the crawl finishes cleanly: after a crash or a cancelled run the
next crawl reads every entry point again, so nothing an interrupted run did not reach is lost.

Once listings answer 304, an article page that failed (5xx, timeout, nothing extracted) would
never be offered again; such URLs go to `retry_urls` and are requested at the start of later
crawls with exponential backoff (honouring Retry-After), until they succeed or are given up.
"""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.components import storefail
from crawler.components.items import FoundArticle
from crawler.links.urls import canonical
from storage.db import connect
from storage.incremental import (
    Validator,
    due_retries,
    load_validators,
    save_validators,
    update_retries,
)

log = logging.getLogger(__name__)

ENTRY_KINDS = frozenset({"robots", "home", "feed", "sitemap", "listing"})
FOLLOWED_KINDS = frozenset({"feed", "sitemap", "listing"})  # remembered as a page's children
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
ROBOTS_MW = "robots_mw"  # Scrapy's own robots.txt request (RobotsTxtMiddleware)
RETRY_MAX_ATTEMPTS = 5
RETRY_BASE_DELAY = 3600.0  # seconds; doubles with each failed attempt (1 h … 16 h)


class _State:
    """One crawler's incremental bookkeeping, shared by the downloader and spider middlewares."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("RASAD_DB")
        self.loaded = False
        self.stored: dict[str, Validator] = {}
        self.fresh: dict[str, Validator] = {}  # 2xx entry points of this run, saved on finish
        self.failed: dict[str, tuple[str, float]] = {}  # article url → (error, retry-after s)
        self.fetched: set[str] = set()  # article pages answered 2xx
        self.resolved: set[str] = set()  # extracted, or gone for good (404/410)
        self.retry_urls: list[str] = []

    @property
    def outlet(self) -> str:
        return self.crawler.spider.name

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        if storefail.failed(self.crawler):
            return
        try:
            db = connect(self.db_path)
            try:
                self.stored = load_validators(db, self.outlet)
                self.retry_urls = [r.url for r in due_retries(db, self.outlet)]
            finally:
                db.conn.close()
        except storefail.STORE_ERRORS as exc:
            storefail.store_failed(self.crawler, exc)

    def save(self, finished: bool) -> None:
        if not self.loaded or storefail.failed(self.crawler):
            return
        failed = dict(self.failed)
        for url in self.fetched - self.resolved:
            failed.setdefault(url, ("no_article", 0.0))
        for url in self.resolved:
            failed.pop(url, None)
        try:
            db = connect(self.db_path)
            try:
                if finished:
                    save_validators(db, self.outlet, self.fresh.values())
                given_up = update_retries(db, self.outlet, failed, self.resolved,
                                          RETRY_MAX_ATTEMPTS, RETRY_BASE_DELAY)
            finally:
                db.conn.close()
        except storefail.STORE_ERRORS as exc:
            storefail.store_failed(self.crawler, exc)
            return
        for url in given_up:
            log.warning("%s: giving up on %s after %d attempts", self.outlet, url,
                        RETRY_MAX_ATTEMPTS)


def _state(crawler: Any) -> _State:
    state = getattr(crawler, "_rasad_incremental", None)
    if state is None:
        state = _State(crawler)
        crawler._rasad_incremental = state
    return state


def _enabled(crawler: Any) -> bool:
    return bool(crawler.settings.get("RASAD_DB")) and \
        crawler.settings.getbool("RASAD_CONDITIONAL", True)


def _kind(request: Request) -> str | None:
    kind = request.meta.get("rasad_kind")
    if kind is None and request.meta.get("dont_obey_robotstxt") \
            and urlsplit(request.url).path == "/robots.txt":
        return ROBOTS_MW
    return kind


def _retry_after(response: Response) -> float:
    value = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
    return float(value) if value.isdigit() else 0.0


class ConditionalRequests:
    """Downloader middleware: validators on entry-point requests, 304 handling, outcomes of
    article downloads for the retry queue."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.state = _state(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequests:
        if not _enabled(crawler):
            raise NotConfigured("RASAD_CONDITIONAL is off or RASAD_DB is not set")
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(f"rasad/conditional/{key}")

    def process_request(self, request: Request) -> Response | None:
        kind = _kind(request)
        if kind not in ENTRY_KINDS and kind != ROBOTS_MW:
            return None
        if request.meta.pop("rasad_conditional", False):  # a redirect copied another URL's
            request.headers.pop(b"If-None-Match", None)
            request.headers.pop(b"If-Modified-Since", None)
        self.state.load()
        old = self.state.stored.get(request.url)
        if old is None or (kind == ROBOTS_MW and old.body is None):
            return None
        lastmod = request.meta.get("rasad_lastmod")
        skip = kind == "sitemap" and bool(lastmod) and lastmod == old.listed_lastmod
        if not (skip or old.etag or old.last_modified):
            return None
        allowed = request.meta.get("handle_httpstatus_list", [])
        if 304 not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, 304]
        request.meta["rasad_conditional"] = True
        if skip:
            self._inc("lastmod_skipped")
            request.meta["rasad_lastmod_skipped"] = True
            return Response(request.url, status=304, request=request)
        if old.etag:
            request.headers[b"If-None-Match"] = old.etag.encode("latin-1")
        if old.last_modified:
            request.headers[b"If-Modified-Since"] = old.last_modified.encode("latin-1")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        kind = _kind(request)
        state = self.state
        if kind == "article":
            if 200 <= response.status < 300:
                state.fetched.add(response.url)
            elif response.status in TRANSIENT_STATUS:
                state.failed[request.url] = (f"http_{response.status}", _retry_after(response))
            elif response.status in (404, 410):
                state.resolved.add(request.url)
            return response
        if kind not in ENTRY_KINDS and kind != ROBOTS_MW:
            return response
        old = state.stored.get(request.url)
        if response.status == 304 and request.meta.get("rasad_conditional") and old is not None:
            if not request.meta.get("rasad_lastmod_skipped"):
                self._inc("not_modified")
            request.meta["rasad_children"] = old.children
            if kind == ROBOTS_MW:  # Scrapy's robots.txt parser needs the text itself
                return response.replace(status=200, body=old.body or b"")
            return response
        if 200 <= response.status < 300 and not request.meta.get("rasad_lastmod_skipped"):
            headers = response.headers
            previous = state.fresh.get(response.url)
            state.fresh[response.url] = Validator(
                response.url,
                etag=(headers.get(b"ETag") or b"").decode("latin-1") or None,
                last_modified=(headers.get(b"Last-Modified") or b"").decode("latin-1") or None,
                listed_lastmod=request.meta.get("rasad_lastmod"),
                children=previous.children if previous else [],
                body=response.body if kind in ("robots", ROBOTS_MW) else None,
            )
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if _kind(request) == "article" and not isinstance(exception, IgnoreRequest):
            self.state.failed[request.url] = (type(exception).__name__, 0.0)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.state.save(finished=reason == "finished")


class FollowedEntryPoints(BaseSpiderMiddleware):
    """Spider middleware: remembers which entry points each entry page led to (for its next
    304), which article pages gave an article, and adds due retries to the start requests."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> FollowedEntryPoints:
        if not _enabled(crawler):
            raise NotConfigured("RASAD_CONDITIONAL is off or RASAD_DB is not set")
        return cls(crawler)

    async def process_start(self, start: Any) -> Any:
        async for item in start:
            yield item
        state = _state(self.crawler)
        state.load()
        spider = self.crawler.spider
        for url in state.retry_urls:
            if canonical(url, spider.outlet.url_rules) in spider.known:
                state.resolved.add(url)  # stored meanwhile under another URL shape
                continue
            self.crawler.stats.inc_value("rasad/conditional/retried")
            for request in spider._article(url):
                yield request

    def get_processed_request(self, request: Request, response: Response | None) -> Request:
        if response is None or not 200 <= response.status < 300:
            return request
        parent = response.meta.get("rasad_kind")
        kind = request.meta.get("rasad_kind")
        if parent not in ENTRY_KINDS or kind not in FOLLOWED_KINDS:
            return request
        if kind == "listing" and self.crawler.spider.outlet.is_pagination_url(request.url):
            return request  # next pages are read only when page 1 changed
        fresh = _state(self.crawler).fresh.get(response.url)
        if fresh is not None:
            entry = [request.url, kind, request.meta.get("rasad_lastmod")]
            if entry not in fresh.children:
                fresh.children.append(entry)
        return request

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        if isinstance(item, FoundArticle) and response is not None:
            state = _state(self.crawler)
            state.resolved.update([response.url, *item.urls])
        return item
