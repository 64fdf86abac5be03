"""One article as the mirror knows it: the text (ground truth) plus how its page presents it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SUBHEAD = "## "  # corpus marker: this body line is a subheading (<h2>/<h3>), still article text

# How an article's page exposes its date. Each flag is one source an extractor may read.
DEFAULT_DATES = {"meta": True, "jsonld": True, "visible": None, "datetime_attr": True}


@dataclass(eq=False)  # identity semantics: articles are mutable records looked up by object
class MirrorArticle:
    outlet: str
    key: str  # stable corpus key, independent of URLs and scale
    title: str
    body: list[str]  # paragraphs; SUBHEAD-prefixed lines are subheadings
    published: datetime  # aware, outlet's local time
    section: str
    language: str = "ar"
    topic: str = "other"
    author: str | None = None
    caption: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # shown in the meta line; section first
    dates: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_DATES))
    encoding: str | None = None  # None = utf-8 declared everywhere; see render.ENCODINGS
    template: str = "default"  # theme variant ("hero": citadel page without visible title/date)
    seed: str | None = None
    synthetic: bool = False
    modified: datetime | None = None
    post_id: int = 0  # WordPress ID (maseer, alqaed) or the day's feature number (citadel)
    path: str = ""  # canonical path+query on the outlet's origin, set by the site
    slug: str = ""  # citadel: the optional Arabic slug (not percent-encoded)

    @property
    def day(self) -> date:
        return self.published.date()

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def paragraphs(self) -> list[str]:
        """Body lines as text (subheading markers removed)."""
        return [p.removeprefix(SUBHEAD) for p in self.body]

    def body_text(self) -> str:
        return "\n".join(self.paragraphs)

    def excerpt(self, words: int = 20) -> str:
        first = next((p for p in self.body if not p.startswith(SUBHEAD)), "")
        parts = first.split()
        return " ".join(parts[:words]) + ("..." if len(parts) > words else "")

    def truth(self, url: str) -> dict[str, Any]:
        return {
            "url": url,
            "outlet": self.outlet,
            "title": self.title,
            "body": self.body_text(),
            "published": self.day.isoformat(),
            "caption": self.caption,
            "author": self.author,
            "section": self.section,
            "language": self.language,
            "topic": self.topic,
        }
