"""The one record that flows from extraction to storage."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """An extracted article. Dates are ISO 8601 strings (date or datetime), never datetime objects,
    so the record serialises to JSON and SQLite as-is."""

    url: str
    canonical_url: str
    outlet: str
    title: str
    body: str  # paragraphs separated by "\n"; no title, caption or clutter
    published: str | None = None
    published_source: str | None = None  # meta | jsonld | theme | url | text | hijri | None
    author: str | None = None
    language: str | None = None  # "ar", "en" or "other"
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    caption: str | None = None
    date_flags: list[str] = field(default_factory=list)  # e.g. "future"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
