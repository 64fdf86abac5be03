"""Storage pipeline: canonical key + aliases → ArticleStore, several articles per transaction.

A crawl process writes through one connection per store, shared by its outlets' pipelines, and
commits articles in batches (storage/batch.py: RASAD_WRITE_BATCH articles or 0.25 s, whichever
comes first, and when an outlet's crawl closes); each article with its topic, outbox and index
rows is still whole, and a crash loses only the last batch's articles, which the next crawl
fetches again. RASAD_WRITE_BATCH=1: one transaction per article.

Settings: RASAD_DB (the store), RASAD_MATERIAL_CHANGE (share of words, 0–1, from which a changed
article counts as materially updated; default storage.versions.DEFAULT_MATERIAL_CHANGE),
RASAD_STORE_LISTENERS (`{"path.Class": order}` like ITEM_PIPELINES: what runs inside each article's
write transaction; each is built with its `from_crawler(crawler)` when it has one).

The pipeline also gives the spider the outlet's stored URLs when it opens (`spider.known`), so
the spider itself never opens the store."""
from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.components.items import FoundArticle
from crawler.components.storefail import STORE_ERRORS, store_failed
from crawler.config.outlets import Outlet
from crawler.links.urls import canonical, same_site
from storage.articles import ArticleListener, ArticleStore, revisit_marks
from storage.batch import MAX_SECONDS, Batch, batch_size
from storage.db import configure, connect, now_iso
from storage.record import Article
from storage.stories import Text
from storage.versions import parse_threshold

CRAWL_CACHE_KIB = 2048  # SQLite page cache of the crawl's store connection


class _Writer:
    """The crawl process's one connection to a store, and its open batch, shared by the
    pipelines of every outlet crawled in this process (one writer: their batches would
    otherwise take the lock from each other at every article)."""

    def __init__(self, db_path: str, max_writes: int) -> None:
        self.db = connect(db_path)
        self.batch = Batch(self.db, max_writes)
        self.users = 0
        self.timer: Any = None


_writers: dict[str, _Writer] = {}


def _writer(db_path: str, max_writes: int) -> _Writer:
    writer = _writers.get(db_path)
    if writer is None:
        writer = _writers[db_path] = _Writer(db_path, max_writes)
    writer.users += 1
    return writer


def _release(db_path: str, writer: _Writer) -> None:
    writer.users -= 1
    if writer.users <= 0:
        if _writers.get(db_path) is writer:
            del _writers[db_path]
        if writer.timer is not None and writer.timer.active():
            writer.timer.cancel()
        writer.batch.discard()  # flushed by the caller when it could be; nothing is half-kept
        writer.db.conn.close()


class StorePipeline:
    def __init__(self, db_path: str, stats: Any, material_change: float | None = None,
                 listeners: list[ArticleListener] | None = None) -> None:
        self.db_path = db_path
        self.stats = stats
        self.material_change = parse_threshold(material_change)
        self.listeners = list(listeners or [])
        self.listener_paths: list[str] = []  # the listeners' setting paths (prepared values)
        self.store: ArticleStore | None = None
        self.batch_size = 1
        self.writer: _Writer | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        db_path = crawler.settings.get("RASAD_DB")
        if not db_path:
            raise NotConfigured("RASAD_DB is not set")
        configure(busy_timeout=crawler.settings.getfloat("RASAD_BUSY_TIMEOUT", 30))
        pipeline = cls(db_path, crawler.stats,
                       parse_threshold(crawler.settings.get("RASAD_MATERIAL_CHANGE")),
                       build_listeners(crawler))
        pipeline.listener_paths = listener_paths(crawler.settings)
        pipeline.batch_size = batch_size(crawler.settings.get("RASAD_WRITE_BATCH"))
        pipeline.crawler = crawler  # Scrapy ≥ 2.13 passes no spider to process_item()
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        # A small page cache and no mmap: each outlet's writer would otherwise keep up to
        # 32 MB of pages and map the whole file, and the crawl's memory would grow with the
        # store (~17 KB an article). The probes are index lookups; the OS caches the file.
        try:
            self.writer = _writer(self.db_path, self.batch_size)
            self.store = ArticleStore(self.writer.db, self.listeners,
                                      material_change=self.material_change,
                                      cache_kib=CRAWL_CACHE_KIB, mmap_bytes=0)
            backfilled = self.store.backfill()  # stores from before deduplication, once
            spider = spider or self.crawler.spider
            outlet = getattr(spider, "outlet", None)
            if outlet is not None and hasattr(spider, "known"):  # with their revisit marks
                spider.known.stored_marks_later(partial(self._revisit_marks, outlet.id))
        except STORE_ERRORS as exc:
            self._close_store()
            store_failed(self.crawler, exc)
            return
        if backfilled:
            self.stats.inc_value("rasad/articles/backfilled", backfilled)

    def close_spider(self, spider: Any = None) -> None:
        self._flush()
        spider = spider or self.crawler.spider
        shapes = getattr(spider, "shapes", None)
        if shapes and self.store is not None:
            try:  # the other URL shapes met for the articles stored (spiders/base.py)
                self.store.add_aliases(shapes)
            except STORE_ERRORS as exc:
                self._close_store()
                store_failed(self.crawler, exc)
                return
        self._close_store()

    def _revisit_marks(self, outlet_id: str) -> dict[str, str]:
        """The stored URLs' revisit marks, read when the spider first asks about a URL."""
        if self.store is None:  # the store failed: the crawl is closing
            return {}
        try:
            return revisit_marks(self.store.db.conn, outlet_id)
        except STORE_ERRORS as exc:
            self._close_store()
            store_failed(self.crawler, exc)
            return {}

    def _close_store(self) -> None:
        writer, self.writer, self.store = self.writer, None, None
        if writer is not None:
            _release(self.db_path, writer)

    def _flush(self) -> None:
        """Commit the open batch (every outlet's articles in it); a failed commit is the
        store's failure (the crawl stops, as for a failed write)."""
        if self.writer is None:
            return
        try:
            self.writer.batch.flush()
        except STORE_ERRORS as exc:
            self._close_store()
            store_failed(self.crawler, exc)

    def _flush_later(self) -> None:
        """A batch is committed MAX_SECONDS after it began even if no article follows."""
        writer = self.writer
        if writer is None or not writer.batch.open or \
                (writer.timer is not None and writer.timer.active()):
            return
        from twisted.internet import reactor

        def due() -> None:
            writer.timer = None
            if self.writer is writer:
                self._flush()
            elif writer.users > 0:  # this outlet is done; the batch is another outlet's
                try:
                    writer.batch.flush()
                except STORE_ERRORS:  # that outlet's next write meets the failure too
                    writer.batch.discard()
        writer.timer = reactor.callLater(MAX_SECONDS, due)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, FoundArticle):
            return item
        if self.store is None:  # the store failed: nothing more is kept, the crawl is closing
            raise DropItem("not stored: the store failed", log_level="DEBUG")
        spider = spider or self.crawler.spider
        article = item.article
        key, fetched_key, aliases = article_keys(spider.outlet, article, item.urls)
        known = spider.known  # crawler.links.revisit.KnownUrls
        revisit_for = known.taken(aliases | {key})
        article.canonical_url = key
        prepared = [item.prepared.get(p) for p in self.listener_paths] if item.prepared else None
        store = self.store
        text = item.text or Text.of(article.body)  # CPU work before taking the write lock
        try:
            assert self.writer is not None
            result = self.writer.batch.write(lambda conn: store.write(
                conn, article, key, aliases, run_id=getattr(spider, "run_id", None),
                fetched_key=fetched_key, source_modified=revisit_for, text=text,
                prepared=prepared))
        except STORE_ERRORS as exc:  # rolled back: the article is not half-written
            store_failed(self.crawler, exc)  # this error is the one reported
            self._flush()  # the articles before it in the batch, if the store still can
            self._close_store()
            raise DropItem(f"not stored: {article.url}", log_level="DEBUG") from None
        self._flush_later()
        known.stored(aliases | {key}, max(now_iso(), revisit_for or ""))
        item.article_id, item.status, item.story_id = (result.article_id, result.status,
                                                       result.story_id)
        self.stats.inc_value(f"rasad/articles/{result.status}")
        if result.reprint:
            self.stats.inc_value("rasad/articles/reprint")
        return item


def listener_paths(settings: Any) -> list[str]:
    """The paths of RASAD_STORE_LISTENERS, in order."""
    return list(build_component_list(settings.getdict("RASAD_STORE_LISTENERS")))


def article_keys(outlet: Outlet, article: Article,
                 urls: Iterable[str]) -> tuple[str, str, set[str]]:
    """The article's store key, the canonical form of the URL it was fetched from, and every
    URL it was reached by (its aliases). Worker mode computes them the same way before pushing
    the article to the writer (crawler.cluster.worker)."""
    rules = outlet.url_rules
    fetched_key = canonical(article.url, rules)
    # The page's own canonical link (rel=canonical, else og:url) is trusted only on the same
    # site and when it is an article URL; the store also refuses it when it names a stored
    # article with an unrelated text (a CMS that puts one canonical on every page).
    page_canonical = article.canonical_url
    trusted = page_canonical and same_site(page_canonical, article.url) and \
        outlet.is_article_url(page_canonical)
    key = canonical(page_canonical, rules) if trusted else fetched_key
    seen = [u for u in [*urls, article.url] if outlet.is_allowed(u)]
    # Every URL seen for the article is kept: its canonical form (what the spider checks)
    # and, when different, the URL exactly as fetched (what an analyst may have in hand).
    aliases = {canonical(u, rules) for u in seen} | {u.split("#", 1)[0] for u in seen}
    return key, fetched_key, aliases


def build_listeners(crawler: Any) -> list[ArticleListener]:
    """The store's listeners named by RASAD_STORE_LISTENERS, in order."""
    return [build_from_crawler(load_object(path), crawler)
            for path in listener_paths(crawler.settings)]
