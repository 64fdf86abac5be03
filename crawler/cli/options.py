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


_CURRENT_DB: list[str] = []


def _remember_db(ctx: click.Context, param: click.Parameter, value: str) -> str:
    _CURRENT_DB[:] = [value]  # for the one-line report of a store error (crawler/cli/__init__)
    return value


def current_db() -> str | None:
    return _CURRENT_DB[0] if _CURRENT_DB else None


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", type=click.Path(dir_okay=False),
                        envvar="RASAD_DB", default=DEFAULT_DB, show_default=True,
                        show_envvar=True, callback=_remember_db,
                        help="SQLite database file.")(f)


def existing_store(db_path: str) -> str:
    """A store a command reads or updates but must not create (a mistyped --db)."""
    from pathlib import Path

    from crawler.cli.errors import UsageFailure

    if not Path(db_path).exists():
        raise UsageFailure(f"database not found: {db_path} (crawl first, or --db PATH)")
    return db_path


def load(config_path: str | None, origins: tuple[str, ...]) -> tuple[Config, dict[str, str]]:
    moved = parse_origins(origins)
    return load_config(config_path, moved), moved



alerts_option = click.option(
    "--alerts", "alerts_path", type=click.Path(dir_okay=False), envvar="RASAD_ALERTS",
    default=None, show_envvar=True, help="Alert channels file (default: config/alerts.toml).")
topics_option = click.option(
    "--topics", "topics_path", type=click.Path(dir_okay=False), envvar="RASAD_TOPICS",
    default=None, show_envvar=True, help="Topic rules file (default: config/topics.toml).")


def check_listen(host: str, port: int, option: str) -> None:
    """A port that is taken (or a host that is not this machine's) is a usage error, found
    before a server starts and fails half-way."""
    import socket

    from crawler.cli.errors import UsageFailure

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise UsageFailure(f"{option} {port}: cannot listen on {host}:{port}: "
                           f"{exc.strerror or exc}") from None
