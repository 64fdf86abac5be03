"""The generic outlet spider: one class, one instance per outlet, driven by the outlet config.

Discovery: entry points (home, feeds, sitemaps, listings) and, with `discover`, robots.txt
Sitemap lines, feed links in the home page head and the listing pages the home page links to.
Only URLs on the outlet's site that match its article pattern are fetched as articles, and never
one that is already stored."""
from __future__ import annotations

import gzip
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.components import workers
from crawler.components.items import FoundArticle
from crawler.components.pipelines import listener_paths
from crawler.components.storefail import StoreClosed
from crawler.config.outlets import Config, Outlet, load_config, parse_origins
from crawler.guard.middleware import RequestRefused
from crawler.links import discovery
from crawler.links.revisit import KnownUrls
from crawler.links.urls import canonical
from spiders.pending import PendingArticles
from storage.db import now_iso

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed file
_SKIP_LINK = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".mp3", ".mp4", ".zip")

# Articles whose other URL shapes are remembered in one crawl (~0.3 KB each, most not needing
# it); beyond that, only the shape fetched is kept, as before.
MAX_SHAPES = 20_000


def unicode_headers(headers: Any) -> dict[str, str]:
    """`dict(headers.to_unicode_dict())` of Scrapy's response headers (repeated values joined
    with ","), without the case-insensitive dict built and copied per page on the way."""
    encoding = headers.encoding
    return {key.decode(encoding): b",".join(values).decode(encoding)
            for key, values in dict.items(headers)}


def config_from_settings(settings: BaseSettings) -> Config:
    origins = settings.get("RASAD_ORIGINS") or {}
    if isinstance(origins, str):
        origins = parse_origins(o for o in origins.split(",") if o.strip())
    return load_config(settings.get("RASAD_CONFIG") or None, origins)


class OutletSpider(scrapy.Spider):
    name = None  # type: ignore[assignment]  # abstract: Scrapy lists only named spiders
    outlet: Outlet
    # Articles found by discovery wait as URLs and are scheduled a few at a time
    # (spiders/pending.py); False: each is scheduled when found (worker mode's shared frontier).
    lazy_articles = True

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        outlet = config_from_settings(settings).outlets.get(cls.name)
        if outlet is None:
            return
        politeness = outlet.politeness
        settings.set("DOWNLOAD_DELAY", politeness.delay, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", politeness.concurrency, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", max(politeness.delay, 0.0), priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(politeness.concurrency),
                     priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = config_from_settings(crawler.settings)
        spider.outlet = config.select([cls.name])[0]
        spider.allowed_domains = spider.outlet.domains
        # Filled from the store by the storage pipeline when the crawl opens (with revisit marks).
        spider.known = KnownUrls()
        spider.scheduled: set[str] = set()
        spider.pending = PendingArticles(crawler, lambda url: spider._request(url, "article")) \
            if cls.lazy_articles else None
        # key → the other URL shapes met for an article this crawl fetches (crawler/components/
        # pipelines.py keeps them as its aliases when the spider closes).
        spider.shapes: dict[str, set[str]] = {}
        spider._workers = workers.worker_count(crawler.settings.get("RASAD_WORKERS"))
        spider._listeners = workers.listener_jobs(listener_paths(crawler.settings),
                                                  crawler.settings)
        return spider

    # --- entry points ------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        outlet = self.outlet
        if outlet.discover:
            yield self._request(outlet.origin + "/robots.txt", "robots",
                                meta={"dont_obey_robotstxt": True,
                                      "handle_httpstatus_list": [401, 403, 404, 410]})
        yield self._request(outlet.home, "home")
        for url in outlet.feeds:
            yield self._request(url, "feed")
        for url in outlet.sitemaps:
            yield self._request(url, "sitemap")
        for url in outlet.listings:
            yield self._request(url, "listing")

    def _request(self, url: str, kind: str, meta: dict | None = None, **kw: Any) -> scrapy.Request:
        callback = self.parse_article if kind == "article" else self.parse
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"rasad_kind": kind, **(meta or {})}, **kw)

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"rasad/{key}", count)

    # --- discovery ---------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterable[scrapy.Request]:
        kind = response.meta.get("rasad_kind", "listing")
        if response.status == 304:  # unchanged since last crawl: follow what it led to then
            self._inc("pages/unchanged")
            for url, child_kind, lastmod in response.meta.get("rasad_children", ()):
                yield self._request(url, child_kind, meta={"rasad_lastmod": lastmod})
            return
        self._inc(f"pages/{kind}")
        if kind == "robots":
            yield from self._from_robots(response)
            return
        body = self._maybe_gunzip(response)
        xml_kind = discovery.sniff_xml(body)
        if xml_kind in ("urlset", "sitemapindex"):
            yield from self._from_sitemap(body)
        elif xml_kind in ("rss", "atom"):
            yield from self._from_feed(body, response.url)
        elif isinstance(response, TextResponse):
            yield from self._from_page(response, kind)
        if self.pending is not None:
            self.pending.release()  # what this page found, if the scheduler runs low

    def _from_robots(self, response: Response) -> Iterable[scrapy.Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        for url in discovery.robots_sitemaps(response.body, response.url):
            if self.outlet.is_allowed(url):
                yield self._request(url, "sitemap")

    def _from_sitemap(self, body: bytes) -> Iterable[scrapy.Request]:
        kind, entries = discovery.sitemap_entries(body)
        for entry in entries:
            if not self.outlet.is_allowed(entry.url):
                continue
            if kind == "sitemapindex":
                if not discovery.NON_POST_SITEMAP.search(urlsplit(entry.url).path):
                    # its lastmod lets crawler/components/incremental.py skip an unchanged
                    # child sitemap
                    yield self._request(entry.url, "sitemap", meta={"rasad_lastmod": entry.lastmod})
            else:
                yield from self._article(entry.url, entry.lastmod, lazy=True)

    def _from_feed(self, body: bytes, base: str) -> Iterable[scrapy.Request]:
        for entry in discovery.feed_entries(body, base):
            yield from self._article(entry.url, entry.lastmod, lazy=True)

    def _from_page(self, response: TextResponse, kind: str) -> Iterable[scrapy.Request]:
        outlet = self.outlet
        links = self._links(response)
        # Unknown to the store, not merely unscheduled: on a first crawl the feed may already
        # have scheduled this page's articles, and paging must still go on to older ones.
        unknown = 0
        for url in links:
            if outlet.is_article_url(url):
                key = canonical(url, outlet.url_rules)
                unknown += key not in self.known
                yield from self._article(url, key=key, lazy=True)
        for url in links:
            if outlet.is_article_url(url):
                continue
            if outlet.is_pagination_url(url):
                # Stop paging once a listing page brings nothing unknown (incremental crawls).
                if unknown and discovery.page_number(url) <= outlet.max_listing_pages:
                    yield self._request(url, "listing")
            elif kind in ("home", "listing") and outlet.is_listing_url(url):
                yield self._request(url, "listing")
            elif kind == "home" and outlet.discover and not outlet.listing_url:
                yield self._request(url, "listing")  # a new outlet: its menu is the sections
        if kind == "home" and outlet.discover:
            head = ((el.attrib.get("rel", ""), el.attrib.get("type", ""),
                     urljoin(response.url, el.attrib.get("href", "")))
                    for el in response.css("link[href]"))
            for url in discovery.head_feeds(head):
                if outlet.is_allowed(url):
                    yield self._request(url, "feed")

    def _links(self, response: TextResponse) -> list[str]:
        seen: dict[str, None] = {}
        for href in response.css("a::attr(href)").getall():
            href = href.strip()
            if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
                continue
            url = urljoin(response.url, href).split("#", 1)[0]
            if self.outlet.is_allowed(url) and not urlsplit(url).path.lower().endswith(_SKIP_LINK):
                seen.setdefault(url, None)
        return list(seen)

    def _article(self, url: str, lastmod: str | None = None, key: str | None = None,
                 lazy: bool = False) -> Iterable[scrapy.Request]:
        outlet = self.outlet
        if not (outlet.is_allowed(url) and outlet.is_article_url(url)):
            return
        key = key or canonical(url, outlet.url_rules)
        if key in self.scheduled:
            self._another_shape(key, url)
        if key in self.known:
            # crawler/links/revisit.py: changed since we read it?
            if not self.known.due(key, lastmod):
                self._inc("articles/skipped_known")
                return
            self._inc("articles/revisit")
        if key in self.scheduled:
            return
        self.scheduled.add(key)
        if self.pending is not None and lazy:
            self.pending.add(url)
        else:
            yield self._request(url, "article")

    def _another_shape(self, key: str, url: str) -> None:
        """Remember a URL of an article already scheduled by another of its shapes (a listing's
        link with the slug, a feed's with tracking parameters). Which shape is met first, and
        fetched, depends on which response came first; keeping every shape met as an alias
        makes the stored aliases the same whatever the order. Bounded (MAX_SHAPES)."""
        url = url.split("#", 1)[0]
        if url != key and len(self.shapes) < MAX_SHAPES:
            self.shapes.setdefault(key, set()).add(url)

    def _maybe_gunzip(self, response: Response) -> bytes:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
                    return fh.read(MAX_SITEMAP_BYTES)
            except OSError:
                return b""
        return body

    # --- articles ----------------------------------------------------------------------------
    async def parse_article(self, response: Response, **kwargs: Any
                            ) -> AsyncIterator[FoundArticle]:
        self._inc("pages/article")
        job = workers.PageJob(
            response.body, response.url, unicode_headers(response.headers),
            self.outlet.extract, self.outlet.id,
            now_iso(),  # first_seen: flags a date long after we met it
            self._listeners)
        # Extraction and the store listeners' CPU work, in a worker process (RASAD_WORKERS).
        done = await workers.run(job, self._workers)
        article, reason, drift = done.article, done.reason, done.drift
        self._inc(f"extract/{reason}")
        if done.bounded:  # too big or too nested for trafilatura: the bounded reading was used
            self._inc("pages/bounded")
        if drift is not None:
            # The rules did not fit this page (see crawler/extract/check.py): counted, and the
            # first one described, for the health check's "rules drift" verdict.
            self._inc(f"drift/{drift.kind}")
            if not self.crawler.stats.get_value("rasad/drift/example"):
                self.crawler.stats.set_value("rasad/drift/example",
                                             f"{drift.describe()} — {response.url}")
            self.logger.warning("rules drift (%s): %s", drift.describe(), response.url)
        if article is None:
            self.logger.info("not stored (%s): %s", reason, response.url)
            return
        if article.published:
            self._inc("pages/with_date")  # health: a layout change often loses the date first
        urls = [*response.meta.get("redirect_urls", []), response.request.url, response.url]
        yield FoundArticle(article=article, urls=urls, text=done.text, prepared=done.prepared)

    def on_error(self, failure: Failure) -> None:
        if failure.check(RequestRefused, StoreClosed):
            return  # counted by the request guard / not fetched, the store failed: not errors
        response = getattr(failure.value, "response", None)
        if response is not None:
            kind = f"http_{response.status}"
        else:
            kind = type(failure.value).__name__
        self._inc(f"errors/{kind}")
        self.logger.warning("%s: %s", kind, failure.request.url)
