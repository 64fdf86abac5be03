"""Options shared by the analyst commands (search, export): filters and opening the store."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from storage.filters import ArticleFilter, FilterError, parse_date, parse_filter

if TYPE_CHECKING:  # sqlite_utils is imported when a caller needs it (storage/db.py)
    import sqlite_utils


class DateParam(click.ParamType):
    """YYYY-MM-DD, or a number of days/weeks back from today: 7d, 2w (storage.filters)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        try:
            return parse_date(value, f"--{param.name}" if param and param.name else "date")
        except FilterError as exc:
            self.fail(str(exc).split(" ", 1)[1] if param else str(exc), param, ctx)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--outlet", "outlets", multiple=True, metavar="ID",
                     help="Only this outlet (repeatable; an unknown one is an error)."),
        click.option("--since", type=DateParam(), default=None,
                     help="Published on or after DATE (YYYY-MM-DD, or 7d / 2w back)."),
        click.option("--until", type=DateParam(), default=None,
                     help="Published on or before DATE."),
        click.option("--topic", default=None, metavar="ID",
                     help="Only articles that matched this topic (e.g. partnership)."),
        click.option("--country", default=None, metavar="CODE|NAME",
                     help="Only articles naming this country: ISO code (KW), English name "
                          "(Kuwait) or a name from config/topics.toml (الكويت)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def build_filter(outlets: tuple[str, ...], since: date | None, until: date | None,
                 topic: str | None, country: str | None, query: str | None = None) -> ArticleFilter:
    """The shared parser (storage.filters.parse_filter), with the topics file's gazetteer for
    country names; a bad value is a usage error."""
    gazetteer, source = country_gazetteer() if country else ({}, "")
    try:
        return parse_filter(outlets, since, until, topic, country, query, gazetteer, source)
    except FilterError as exc:
        raise click.BadParameter(_option_name(str(exc))) from None


def _option_name(message: str) -> str:
    for word in ("since", "until", "country"):
        if message.startswith(word + " "):
            return f"--{message}"
    return message


def country_gazetteer() -> tuple[dict[str, list[str]], str]:
    """Country code → Arabic names and spellings from the topics file (RASAD_TOPICS), and the
    file's name; empty (English names and codes still work) when the file cannot be read."""
    from crawler.settings import RASAD_TOPICS
    from crawler.topics import load_rules

    try:
        rules = load_rules(RASAD_TOPICS or None)
    except Exception:  # a broken topics file must not hide the real problem
        return {}, "the topics file (unreadable)"
    return ({code: [c.name, *c.names] for code, c in rules.countries.items()}, str(rules.path))


def check_known(db: sqlite_utils.Database, outlets: tuple[str, ...], topic: str | None) -> None:
    """An --outlet or --topic that names nothing is a typo to report, not "no articles match":
    known are the store's own names and those of the configuration files."""
    if outlets:
        known = _names(db, "SELECT DISTINCT outlet FROM articles", _configured_outlets)
        for outlet in outlets:
            if outlet not in known:
                raise click.BadParameter(f"unknown outlet {outlet!r} (known: "
                                         f"{', '.join(sorted(known)) or 'none'})",
                                         param_hint="--outlet")
    if topic:
        known = _names(db, "SELECT DISTINCT topic FROM article_topics", _configured_topics)
        if topic not in known:
            raise click.BadParameter(f"unknown topic {topic!r} (known: "
                                     f"{', '.join(sorted(known)) or 'none'})",
                                     param_hint="--topic")


def _names(db: sqlite_utils.Database, sql: str, configured: Callable[[], list[str]]) -> set[str]:
    try:
        names = {r[0] for r in db.conn.execute(sql)}
    except sqlite3.OperationalError:  # a store older than that table
        names = set()
    try:
        names |= set(configured())
    except Exception:  # noqa: BLE001 - a broken or absent config: the store's names still count
        pass
    return names


def _configured_outlets() -> list[str]:
    from crawler.config.outlets import load_config

    return list(load_config(None).outlets)


def _configured_topics() -> list[str]:
    from crawler.alerts.listener import load_topics_cached

    return list(load_topics_cached())


def open_store(db_path: str) -> sqlite_utils.Database:
    """The store, read-only, brought up to date first (see storage.search.open_for_reading)."""
    from storage.search import open_for_reading

    if not Path(db_path).exists():
        raise click.ClickException(f"database not found: {db_path} (crawl first, or --db PATH)")
    try:
        return open_for_reading(db_path, warn=lambda msg: click.echo(msg, err=True))
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
