"""Options shared by several commands."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from crawler.config.outlets import Config, load_config, parse_origins

DEFAULT_DB = "rasad.db"


def config_option(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--origin", "origins", multiple=True, metavar="ID=URL",
                     help="Crawl outlet ID on another origin (scheme://host:port): its entry "
                          "points and allowed domains move there, its patterns and rules stay. "
                          "Repeatable.")(f)
    return click.option("--config", "config_path", type=click.Path(dir_okay=False),
                        envvar="RASAD_CONFIG", default=None, show_envvar=True,
                        help="Outlets file or overlay (default: config/outlets.toml).")(f)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", type=click.Path(dir_okay=False),
                        envvar="RASAD_DB", default=DEFAULT_DB, show_default=True,
                        show_envvar=True, help="SQLite database file.")(f)


def load(config_path: str | None, origins: tuple[str, ...]) -> tuple[Config, dict[str, str]]:
    moved = parse_origins(origins)
    return load_config(config_path, moved), moved



alerts_option = click.option(
    "--alerts", "alerts_path", type=click.Path(dir_okay=False), envvar="RASAD_ALERTS",
    default=None, show_envvar=True, help="Alert channels file (default: config/alerts.toml).")
topics_option = click.option(
    "--topics", "topics_path", type=click.Path(dir_okay=False), envvar="RASAD_TOPICS",
    default=None, show_envvar=True, help="Topic rules file (default: config/topics.toml).")
