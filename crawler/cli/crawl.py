"""`rasad crawl`: one crawl pass, then a per-outlet summary."""
from __future__ import annotations

import json
import os
import sys

import click

from crawler.cli import alerts as alerts_hooks
from crawler.cli import main
from crawler.cli.options import config_option, db_option, load


@main.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, metavar="ID",
              help="Crawl only this outlet (repeatable; default: all).")
@click.option("--delay", type=float, default=None,
              help="Override every outlet's delay between requests (seconds).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON Lines.")
@click.option("-v", "--verbose", count=True, help="-v: Scrapy INFO log, -vv: DEBUG.")
@click.option("--alert-backfill", is_flag=True,
              help="Alert on an outlet's first crawl too (default: a baseline, not alerted).")
def crawl(config_path: str | None, origins: tuple[str, ...], db_path: str,
          outlet_ids: tuple[str, ...], delay: float | None, as_json: bool, verbose: int,
          alert_backfill: bool) -> None:
    """Crawl the configured outlets once and store new articles.

    Finds article URLs through feeds, sitemaps (also those named in robots.txt) and listing
    pages, skips URLs already stored, extracts each new article and stores it.

    \b
    Examples:
        rasad crawl --db rasad.db
        rasad crawl --outlet maseer --outlet alqaed
        rasad crawl --config config/mirror.toml          # the offline mirror
        rasad crawl --origin maseer=http://127.0.0.1:8702 --outlet maseer
    """
    from crawler.components.workers import worker_count
    from crawler.service.runner import crawl as run_crawl
    from storage.versions import parse_threshold

    try:  # checked here so a bad value is one clear line, not a traceback from the pipeline
        parse_threshold(os.environ.get("RASAD_MATERIAL_CHANGE"))
        worker_count(os.environ.get("RASAD_WORKERS"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None

    config, moved = load(config_path, origins)
    outlets = config.select(outlet_ids)
    overrides: dict[str, object] = {"LOG_LEVEL": ["WARNING", "INFO", "DEBUG"][min(verbose, 2)]}
    if delay is not None:
        overrides.update(DOWNLOAD_DELAY=delay, AUTOTHROTTLE_START_DELAY=delay)
    alerts_hooks.before_crawl(alert_backfill)
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
    alerts_hooks.after_crawl(db_path, as_json)
    if failed == len(results) and results:
        sys.exit(1)
