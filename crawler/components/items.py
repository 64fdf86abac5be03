"""What the spider hands to the pipeline: the extracted article and every URL it was reached by;
the storage pipeline adds what the store made of it (feed exports show these columns)."""
from __future__ import annotations

from dataclasses import dataclass, field

from storage.record import Article


@dataclass
class FoundArticle:
    article: Article
    urls: list[str] = field(default_factory=list)  # requested URL, redirects, final URL
    article_id: int | None = None  # the stored row
    status: str | None = None  # new, duplicate, updated, revised (storage.articles.AddResult)
    story_id: int | None = None
