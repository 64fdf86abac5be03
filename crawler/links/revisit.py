"""Which stored articles to fetch again: the spider's known-URL set with a revisit policy.

A stored article is never refetched just because a link to it shows up again (that would
re-download every listed article on every crawl). It is refetched when a sitemap `<lastmod>` or
a feed entry's date is newer than both our last fetch of it and the newest such date we already
refetched it for. The second condition stops loops on a source date in the future (a wrong time
zone, a CMS bug): one refetch per new date, never one per crawl. A date without a time counts
from the start of its day (UTC), so it triggers only when it is a later day than our fetch.

The set is loaded once per crawl from the store (one indexed query per outlet: URL → one short
ISO string) the first time the spider asks about a URL, and kept current by the storage pipeline
as articles are written. A crawl that parses no feed, sitemap or listing (every entry point
answered 304) never reads it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")


def source_date(text: str | None) -> str | None:
    """A sitemap/feed date (W3C datetime, ISO 8601 or RFC 822) as UTC `YYYY-MM-DDTHH:MM:SSZ`, or
    None when it cannot be read (then it never triggers a refetch)."""
    if not text:
        return None
    text = text.strip()
    when: datetime | None = None
    if _DATE_ONLY.match(text):
        when = datetime.fromisoformat(text + "T00:00:00+00:00")
    elif _YEAR_MONTH.match(text):
        return None  # too coarse to say anything about one article
    else:
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                when = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # sitemaps.org requires a zone; assume UTC if missing
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class KnownUrls:
    """Canonical URLs already stored for one outlet, each with its revisit mark."""

    def __init__(self, marks: dict[str, str] | None = None) -> None:
        self._marks = dict(marks or {})
        self._load: Callable[[], Mapping[str, str]] | None = None
        self.pending: dict[str, str] = {}  # key → the source date a refetch was scheduled for

    @property
    def marks(self) -> dict[str, str]:
        if self._load is not None:
            load, self._load = self._load, None
            self.stored_marks(load())
        return self._marks

    def stored_marks(self, marks: Mapping[str, str]) -> None:
        """Add the store's URL → revisit mark entries."""
        for key, mark in marks.items():
            self.stored([key], mark)

    def stored_marks_later(self, load: Callable[[], Mapping[str, str]]) -> None:
        """Add the entries `load()` returns when the set is first used (the storage pipeline, as
        the crawl opens: a crawl that meets no link does not read them)."""
        self._load = load

    def __contains__(self, key: object) -> bool:
        return key in self.marks

    def __len__(self) -> int:
        return len(self.marks)

    def due(self, key: str, lastmod: str | None) -> bool:
        """True when the stored article `key` should be fetched again for source date
        `lastmod`; the date is remembered until the pipeline stores the refetched page."""
        mark = self.marks.get(key)
        when = source_date(lastmod)
        if mark is None or when is None or when <= mark:
            return False
        self.pending[key] = when
        return True

    def taken(self, keys: Iterable[str]) -> str | None:
        """The source date a refetch of any of `keys` was scheduled for (and forget it)."""
        found = [self.pending.pop(k) for k in keys if k in self.pending]
        return max(found) if found else None

    def stored(self, keys: Iterable[str], mark: str) -> None:
        """`keys` now name a stored article, fetched (or revisited for a date) up to `mark`."""
        for key in keys:
            if mark > self.marks.get(key, ""):
                self.marks[key] = mark

    def update(self, keys: Iterable[str]) -> None:
        """Set-like: mark `keys` as stored now (for callers that treat this as a set)."""
        self.stored(keys, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
