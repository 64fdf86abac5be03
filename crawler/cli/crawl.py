"""`rasad crawl`: one crawl pass, then a per-outlet summary."""
from __future__ import annotations

import json
import logging
import os
import sys

import click

from crawler import startup
from crawler.cli import alerts as alerts_hooks
from crawler.cli import main
from crawler.cli.errors import StoreFailure
from crawler.cli.options import alerts_option, config_option, db_option, load, topics_option


@main.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, metavar="ID",
              help="Crawl only this outlet (repeatable; default: all).")
@click.option("--delay", type=float, default=None,
              help="Override every outlet's delay between requests (seconds).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON Lines.")
@click.option("-v", "--verbose", count=True, help="-v: Scrapy INFO log, -vv: DEBUG.")
@click.option("--alert-backfill", is_flag=True, envvar="RASAD_ALERT_BACKFILL",
              help="Alert on an outlet's first crawl too (default: a baseline, not alerted).")
@alerts_option
@topics_option
@click.option("--progress", type=click.Choice(["auto", "tty", "lines", "off"]),
              envvar="RASAD_PROGRESS", default="auto", show_default=True, show_envvar=True,
              help="Progress display: a live line per outlet (tty), a line every "
                   "RASAD_PROGRESS_INTERVAL seconds (lines), or none.")
@click.option("--redis", "redis_url", metavar="URL", envvar="RASAD_REDIS", show_envvar=True,
              help="Work as one of several workers sharing the outlets' frontier on this Redis "
                   "(redis://HOST:PORT/DB); articles go to `rasad ingest`, --db is not used.")
def crawl(config_path: str | None, origins: tuple[str, ...], db_path: str,
          outlet_ids: tuple[str, ...], delay: float | None, as_json: bool, verbose: int,
          alert_backfill: bool, alerts_path: str | None, topics_path: str | None,
          progress: str, redis_url: str | None) -> None:
    """Crawl the configured outlets once and store new articles.

    Finds article URLs through feeds, sitemaps (also those named in robots.txt) and listing
    pages, skips URLs already stored, extracts each new article and stores it.

    Exit status: 1 every outlet failed, 2 a usage or config error, 3 the store failed (the
    crawl stops at the first write that fails, with one line naming the store and the cause).

    \b
    Examples:
        rasad crawl --db rasad.db
        rasad crawl --outlet maseer --outlet alqaed
        rasad crawl --config config/mirror.toml          # the offline mirror
        rasad crawl --origin maseer=http://127.0.0.1:8702 --outlet maseer
        rasad crawl --redis redis://10.0.0.5:6379/0        # a worker (see rasad ingest)
    """
    from crawler.components.connect_to import parse_connect_to
    from crawler.components.storefail import STAT, STORE_LOG
    from crawler.components.workers import worker_count
    from crawler.service.runner import crawl as run_crawl
    from storage.batch import batch_size
    from storage.db import check_writable, connect
    from storage.versions import parse_threshold

    try:  # checked here so a bad value is one clear line, not a traceback from the pipeline
        parse_threshold(os.environ.get("RASAD_MATERIAL_CHANGE"))
        worker_count(os.environ.get("RASAD_WORKERS"))
        batch_size(os.environ.get("RASAD_WRITE_BATCH"))
        # (a bad one would silently disable http/https downloads: Scrapy's NotSupported)
        parse_connect_to(os.environ.get("RASAD_CONNECT_TO"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None

    config, moved = load(config_path, origins)
    outlets = config.select(outlet_ids)
    if redis_url:  # a worker: it never opens the store; topics and alerts are the writer's
        from crawler.cli.worker import crawl_worker

        worker_overrides: dict[str, object] = {
            "LOG_LEVEL": ["WARNING", "INFO", "DEBUG"][min(verbose, 2)], "RASAD_PROGRESS": progress}
        if delay is not None:
            worker_overrides.update(DOWNLOAD_DELAY=delay)
        startup.resume()
        crawl_worker(config, outlets, redis_url, moved, worker_overrides, delay, as_json)
        return
    # The store is opened (created, brought up to date) and a write tried before any request:
    # a read-only, locked or corrupt store is one line and status 2 or 3, not a crawl whose
    # pages cannot be kept.
    db = connect(db_path)
    try:
        check_writable(db)
    finally:
        db.conn.close()
    overrides: dict[str, object] = {"LOG_LEVEL": ["WARNING", "INFO", "DEBUG"][min(verbose, 2)]}
    if delay is not None:
        overrides.update(DOWNLOAD_DELAY=delay, AUTOTHROTTLE_START_DELAY=delay)
    if not verbose:  # the store's failure is the one "Error:" line printed below, not two
        logging.getLogger(STORE_LOG).setLevel(logging.CRITICAL)
    alerts_hooks.before_crawl(alerts_path, topics_path)
    overrides.update(RASAD_ALERTS=alerts_path or "", RASAD_TOPICS=topics_path or "",
                     RASAD_ALERT_BACKFILL=alert_backfill, RASAD_PROGRESS=progress)
    results = run_crawl(config, [o.id for o in outlets], db_path, moved, overrides)
    failed = 0
    for result in results:
        c = result.counts
        if as_json:
            click.echo(json.dumps({"outlet": result.outlet, "finish_reason": result.finish_reason,
                                   **{k: v for k, v in c.items() if k != "stats"}},
                                  ensure_ascii=False))
        else:
            click.echo(f"{result.outlet:<16} requests {c['requests']:>5}  "
                       f"new {c['articles_new']:>4}  duplicate {c['articles_duplicate']:>3}  "
                       f"skipped-known {c['stats'].get('rasad/articles/skipped_known', 0):>4}  "
                       f"not-articles {c['extract_failures']:>3}  errors {c['errors']:>3}  "
                       f"({result.finish_reason})")
        if result.finish_reason != "finished" or (c["pages_fetched"] == 0 and c["errors"]):
            failed += 1
    store_errors = [r.counts["stats"][STAT] for r in results if STAT in r.counts["stats"]]
    if store_errors:  # what was stored is whole; the rest waits for a store that works
        raise StoreFailure(f"{store_errors[0]}; the crawl stopped at this first failed write")
    alerts_hooks.after_crawl(db_path, alerts_path, as_json, backfill=alert_backfill)
    if failed == len(results) and results:
        sys.exit(1)
