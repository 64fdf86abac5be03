"""`rasad status`: one line per outlet — last run, new articles, errors, extraction, verdict."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from crawler.cli import main
from crawler.cli.options import config_option, db_option, load


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value * 100:3.0f}%"


def _ago(started: str | None, now: datetime) -> str:
    from crawler.service.health import duration
    from storage.health import parse_iso

    when = parse_iso(started)
    return f"{duration((now - when).total_seconds())} ago" if when else "-"


@main.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, metavar="ID",
              help="Only this outlet (repeatable; default: all).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet (JSON Lines).")
@click.option("--redis", "redis_url", metavar="URL", help="Worker mode: show the shared crawl "
              "on this Redis instead (queues, workers seen recently, the writer's lag).")
def status(config_path: str | None, origins: tuple[str, ...], db_path: str,
           outlet_ids: tuple[str, ...], as_json: bool, redis_url: str | None) -> None:
    """Show each outlet's health: last run, new articles, errors, extraction, verdict.

    The verdict is ok, stale, failing, extraction broken or rules drift (the theme rules did
    not fit pages of the last crawl: a redesign?), with the reason; the columns are
    the last run (when, outcome), articles first stored in the last 24 hours and 7 days, the
    share of fetched URLs that ended in an error in 7 days, and the share of recent article
    pages that gave a body, and of those a date.

    \b
    Examples:
        rasad status --db rasad.db
        rasad status --outlet maseer --json
        rasad status --redis redis://127.0.0.1:6379/0     # workers and writer
    """
    from crawler.service import health
    from storage.db import connect, connect_readonly
    from storage.health import open_incidents
    from storage.schema import migration_files

    config, _ = load(config_path, origins)
    outlets = config.select(outlet_ids)
    if redis_url:
        _cluster_status(redis_url, [o.id for o in outlets], as_json)
        return
    if not Path(db_path).exists():
        raise click.ClickException(f"database not found: {db_path} (run `rasad crawl` first)")
    db = connect_readonly(db_path)
    applied = {r[0] for r in db.conn.execute("SELECT name FROM schema_migrations")}
    if not {name for name, _ in migration_files()} <= applied:
        db.conn.close()
        db = connect(db_path)  # an older store: bring it forward once, as every command does
    now = datetime.now(UTC)
    try:
        healths = health.check(db, outlets, now)
        incidents = {(i["outlet"], i["kind"]): i for i in open_incidents(db)}
    finally:
        db.conn.close()
    for h in healths:
        if as_json:
            record = h.as_dict()
            record["incidents"] = [incidents[(h.outlet, k)] for k in h.problems
                                   if (h.outlet, k) in incidents]
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        last = h.last_run
        run = f"{_ago(last['started'], now)} {last['outcome']}" if last else "never"
        line = (f"{h.outlet:<16} {h.verdict:<17} last {run:<20} new 24h {h.new_24h:>4}  "
                f"7d {h.new_7d:>4}  errors {_pct(h.error_rate)}  body {_pct(h.body_share)}  "
                f"date {_pct(h.date_share)}")
        if h.reason:
            line += f"  — {h.reason}"
        if len(h.problems) > 1:
            line += "; also " + "; ".join(r for k, r in list(h.problems.items())[1:])
        click.echo(line)


def _cluster_status(url: str, outlet_ids: list[str], as_json: bool) -> None:
    from crawler.cluster import keys
    from crawler.cluster import status as cluster

    try:
        found = cluster.facts(keys.connect(url), outlet_ids)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    for line in cluster.lines(found):
        click.echo(line)
