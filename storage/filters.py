"""Article filters shared by `rasad search`, `rasad export` and the web view: the one parser of
what an analyst types (dates as YYYY-MM-DD or 7d / 2w back, countries as ISO codes or names in
Arabic or English, several outlets) and the SQL it becomes."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from storage.arabic import normalize
from storage.countries import COUNTRIES_EN
from storage.search_query import fts_expression

_RELATIVE = re.compile(r"^(\d+)\s*([dw])$", re.IGNORECASE)


class FilterError(ValueError):
    """A filter that cannot be applied to this store."""


@dataclass
class ArticleFilter:
    outlets: list[str] = field(default_factory=list)
    since: date | None = None  # published on or after
    until: date | None = None  # published on or before
    topic: str | None = None  # matched this topic (article_topics)
    country: str | None = None  # ISO 3166 alpha-2 found by the topic gazetteers
    query: str | None = None  # full-text query (storage.search_query syntax)

    def sql(self, conn: sqlite3.Connection, alias: str = "a") -> tuple[list[str], list[object]]:
        """WHERE clauses (to AND together) and their parameters, on articles aliased `alias`."""
        a = alias
        clauses: list[str] = []
        params: list[object] = []
        if self.outlets:
            clauses.append(f"{a}.outlet IN ({','.join('?' * len(self.outlets))})")
            params += self.outlets
        # Articles without a publication date cannot be placed in a date range: left out.
        if self.since:
            clauses.append(f"{a}.published >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append(f"{a}.published < ?")  # published may carry a time of day
            params.append((self.until + timedelta(days=1)).isoformat())
        if self.topic or self.country:
            if not _has_table(conn, "article_topics"):
                raise FilterError("this store has no topic classifications (article_topics): "
                                  "--topic and --country need the topics feature")
        if self.topic:
            clauses.append(f"EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = {a}.id "
                           "AND t.topic = ? AND t.matched)")
            params.append(self.topic)
        if self.country:
            clauses.append(f"EXISTS (SELECT 1 FROM article_topics t, json_each(t.countries) c "
                           f"WHERE t.article_id = {a}.id AND ? IN (c.key, c.value))")
            params.append(self.country.upper())
        if self.query:
            clauses.append(f"{a}.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_expression(self.query))
        return clauses, params


def parse_date(value: str | date, name: str = "date", today: date | None = None) -> date:
    """YYYY-MM-DD, or days/weeks back from today: 7d, 2w (FilterError naming `name` otherwise)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    rel = _RELATIVE.match(text)
    if rel:
        days = int(rel.group(1)) * (7 if rel.group(2).lower() == "w" else 1)
        return (today or date.today()) - timedelta(days=days)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{name} {text!r} is not a date: use YYYY-MM-DD or 7d / 2w "
                          "(days/weeks back)") from None


def resolve_country(value: str, gazetteer: Mapping[str, Iterable[str]] | None = None,
                    source: str = "the topics file") -> str:
    """The ISO alpha-2 code of `value`: a code (KW, kw), an English name (Kuwait, UAE) or an
    Arabic name or spelling from `gazetteer` (code → names, as in config/topics.toml;
    folded like the search, so الكويت, الكويت and كويت match)."""
    text = value.strip()
    known = sorted(set(gazetteer or {}) or set(COUNTRIES_EN))
    if text.upper() in known and re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    folded, wanted = text.casefold(), normalize(text)
    for code, names in COUNTRIES_EN.items():
        if code in known and any(n.casefold() == folded for n in names):
            return code
    for code, names in (gazetteer or {}).items():
        if any(normalize(n.rstrip("*")) == wanted for n in names):
            return code
    raise FilterError(f"country {text!r}: not a country code or a name in English or in "
                      f"{source} (known codes: {', '.join(known)})")


def parse_filter(outlets: Iterable[str] = (), since: str | date | None = None,
                 until: str | date | None = None, topic: str | None = None,
                 country: str | None = None, query: str | None = None,
                 gazetteer: Mapping[str, Iterable[str]] | None = None,
                 source: str = "the topics file") -> ArticleFilter:
    """An ArticleFilter from what the analyst typed (CLI options or web form fields; empty
    strings mean "any"); FilterError with a line for the user on bad input."""
    start = parse_date(since, "since") if since else None
    end = parse_date(until, "until") if until else None
    if start and end and start > end:
        raise FilterError(f"since {start} is after until {end}")
    return ArticleFilter(
        outlets=[o.strip() for o in outlets if o and o.strip()], since=start, until=end,
        topic=(topic or "").strip() or None,
        country=resolve_country(country, gazetteer, source) if country and country.strip()
        else None,
        query=query or None)


def known_outlets(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles ORDER BY 1")]


def known_topics(conn: sqlite3.Connection) -> list[str]:
    if not _has_table(conn, "article_topics"):
        return []
    return [r[0] for r in conn.execute("SELECT DISTINCT topic FROM article_topics ORDER BY 1")]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None
