"""What the spider hands to the pipeline: the extracted article and every URL it was reached by;
the storage pipeline adds what the store made of it (feed exports show these columns)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.record import Article
from storage.stories import Text


@dataclass
class FoundArticle:
    article: Article
    urls: list[str] = field(default_factory=list)  # requested URL, redirects, final URL
    article_id: int | None = None  # the stored row
    status: str | None = None  # new, duplicate, updated, revised (storage.articles.AddResult)
    story_id: int | None = None
    # Computed with the extraction, in a worker process (crawler/components/workers.py): the
    # body's fingerprints and each store listener's prepare() value (listener path → value).
    text: Text | None = None
    prepared: dict[str, Any] = field(default_factory=dict)
