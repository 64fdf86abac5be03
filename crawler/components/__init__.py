"""Scrapy components of a crawl: the item, the storage pipeline, middlewares and extensions
(crawler/settings.py lists them: ITEM_PIPELINES, DOWNLOADER_MIDDLEWARES, SPIDER_MIDDLEWARES,
EXTENSIONS)."""
