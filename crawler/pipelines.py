"""Storage pipeline: canonical key + aliases → ArticleStore (one transaction per article)."""
from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.items import FoundArticle
from crawler.urls import canonical, same_site
from storage.articles import ArticleStore
from storage.db import connect


class StorePipeline:
    def __init__(self, db_path: str, stats: Any) -> None:
        self.db_path = db_path
        self.stats = stats
        self.store: ArticleStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        db_path = crawler.settings.get("RASAD_DB")
        if not db_path:
            raise NotConfigured("RASAD_DB is not set")
        pipeline = cls(db_path, crawler.stats)
        pipeline.crawler = crawler  # Scrapy ≥ 2.13 passes no spider to process_item()
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.store = ArticleStore(connect(self.db_path))

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.db.conn.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, FoundArticle) or self.store is None:
            return item
        spider = spider or self.crawler.spider
        outlet = spider.outlet
        article = item.article
        rules = outlet.url_rules
        # The page's own canonical link is trusted only on the same site; a wrong or foreign
        # canonical must not merge two articles.
        page_canonical = article.canonical_url
        trusted = page_canonical and same_site(page_canonical, article.url) and \
            outlet.is_article_url(page_canonical)
        key = canonical(page_canonical if trusted else article.url, rules)
        article.canonical_url = key
        aliases = {canonical(u, rules) for u in [*item.urls, article.url] if outlet.is_allowed(u)}
        result = self.store.add(article, key, aliases, run_id=getattr(spider, "run_id", None))
        spider.known.update(aliases | {key})
        self.stats.inc_value(f"rasad/articles/{result.status}")
        return item
