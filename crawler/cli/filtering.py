"""Options shared by the analyst commands (search, export): filters and opening the store."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import sqlite_utils

from storage.arabic import normalize
from storage.filters import ArticleFilter

_RELATIVE = re.compile(r"^(\d+)([dw])$")


class DateParam(click.ParamType):
    """YYYY-MM-DD, or a number of days/weeks back from today: 7d, 2w."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        rel = _RELATIVE.match(text)
        if rel:
            days = int(rel.group(1)) * (7 if rel.group(2) == "w" else 1)
            return date.today() - timedelta(days=days)
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date: use YYYY-MM-DD or 7d / 2w (days/weeks back)",
                      param, ctx)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--outlet", "outlets", multiple=True, metavar="ID",
                     help="Only this outlet (repeatable)."),
        click.option("--since", type=DateParam(), default=None,
                     help="Published on or after DATE (YYYY-MM-DD, or 7d / 2w back)."),
        click.option("--until", type=DateParam(), default=None,
                     help="Published on or before DATE."),
        click.option("--topic", default=None, metavar="ID",
                     help="Only articles that matched this topic (e.g. partnership)."),
        click.option("--country", default=None, metavar="CODE|NAME",
                     help="Only articles naming this country: ISO code (KW) or a name "
                          "from config/topics.toml (الكويت)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def build_filter(outlets: tuple[str, ...], since: date | None, until: date | None,
                 topic: str | None, country: str | None, query: str | None = None) -> ArticleFilter:
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}")
    return ArticleFilter(outlets=list(outlets), since=since, until=until, topic=topic,
                         country=resolve_country(country) if country else None, query=query)


def resolve_country(value: str) -> str:
    """An ISO alpha-2 code as given, or the code of a country named in the topics gazetteer."""
    text = value.strip()
    from crawler.topics import load_rules

    code = text.upper() if re.fullmatch(r"[A-Za-z]{2}", text) else None
    wanted = normalize(text)
    try:
        rules = load_rules()
    except Exception as exc:  # a broken topics file must not hide the real problem
        if code:
            return code
        raise click.BadParameter(f"--country {text!r}: give an ISO code (KW); "
                                 f"names come from the topics file, which failed: {exc}") from None
    if code:
        if code in rules.countries:
            return code
        raise click.BadParameter(f"--country {text!r}: not a country of {rules.path} "
                                 f"(known codes: {', '.join(sorted(rules.countries))})")
    for code, country in rules.countries.items():
        names = [country.name, *country.names]
        if any(normalize(n.rstrip("*")) == wanted for n in names):
            return code
    raise click.BadParameter(f"--country {text!r}: not a country code or a name in "
                             f"{rules.path} (known codes: {', '.join(sorted(rules.countries))})")


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
