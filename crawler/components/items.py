"""What the spider hands to the pipeline: the extracted article and every URL it was reached by."""
from __future__ import annotations

from dataclasses import dataclass, field

from storage.record import Article


@dataclass
class FoundArticle:
    article: Article
    urls: list[str] = field(default_factory=list)  # requested URL, redirects, final URL
