"""Scrapy feed exports of rasad items as flat records (`scrapy crawl maseer -O out.csv`, `.json`,
`.jsonl`): one column per article field, then the URLs it was reached by and what the store made
of it — not one column holding a Python repr of the nested record.

Registered for the csv, json, jsonlines and jsonl formats in FEED_EXPORTERS (settings.py). CSV
joins lists with "; " (as `rasad export`); JSON keeps them as lists."""
from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter

from crawler.components.items import FoundArticle

FIELDS = (
    "url", "canonical_url", "outlet", "title", "published", "published_source", "author",
    "language", "section", "tags", "image", "caption", "date_flags", "body", "urls",
    "article_id", "status", "story_id",
)


def flatten(item: Any) -> Any:
    """A FoundArticle as one flat dict (FIELDS, in order); anything else unchanged."""
    if not isinstance(item, FoundArticle):
        return item
    record = item.article.to_dict()
    record["urls"] = list(dict.fromkeys(item.urls))
    record["article_id"], record["status"], record["story_id"] = (
        item.article_id, item.status, item.story_id)
    return {name: record.get(name) for name in FIELDS}


class FlatCsvItemExporter(CsvItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        kwargs.setdefault("join_multivalued", "; ")
        if not kwargs.get("fields_to_export"):
            kwargs["fields_to_export"] = list(FIELDS)  # the header is known before any item
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(flatten(item))


class FlatJsonItemExporter(JsonItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(flatten(item))


class FlatJsonLinesItemExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(flatten(item))
