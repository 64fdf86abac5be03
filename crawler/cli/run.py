"""`rasad run`: the long-running scheduler service."""
from __future__ import annotations

import logging
import os
import sys

import click

from crawler.cli import main
from crawler.cli.errors import WorkFailed
from crawler.cli.options import alerts_option, config_option, db_option, load, topics_option


@main.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, metavar="ID",
              help="Schedule only this outlet (repeatable; default: all).")
@click.option("--parallel", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Crawls running at the same time (each in its own process).")
@click.option("--jitter", type=click.FloatRange(0), default=None, metavar="SECONDS",
              help="Move each crawl by up to this many seconds either way "
                   "(default: 10% of the outlet's interval, at most 300).")
@click.option("--grace", default=10.0, show_default=True, type=click.FloatRange(0),
              metavar="SECONDS", help="On stop, time a running crawl gets to close cleanly.")
@click.option("--crawl-timeout", default=3 * 3600.0, show_default=True,
              type=click.FloatRange(1), metavar="SECONDS",
              help="Stop a crawl that runs longer than this.")
@click.option("--health-every", default=900.0, show_default=True, type=click.FloatRange(1),
              metavar="SECONDS", help="Health checks between crawls (stale outlets).")
@alerts_option
@topics_option
@click.option("-v", "--verbose", count=True, help="-v: scheduler details and Scrapy INFO log "
              "of the crawls, -vv: DEBUG.")
def run(config_path: str | None, origins: tuple[str, ...], db_path: str,
        outlet_ids: tuple[str, ...], parallel: int, jitter: float | None, grace: float,
        crawl_timeout: float, health_every: float, alerts_path: str | None,
        topics_path: str | None, verbose: int) -> None:
    """Crawl every outlet on its schedule until stopped (SIGTERM or Ctrl-C).

    Each outlet is crawled every `interval` (or on its `cron` line, UTC) from the config, in
    its own child process, never twice at once; missed runs coalesce into one. After a restart
    outlets crawled recently wait for their next slot. Logs go to stderr; see `rasad status`.

    \b
    Examples:
        rasad run --db rasad.db
        rasad run --config config/mirror.toml --db mirror.db --parallel 3
    """
    from crawler.service.scheduler import Options, Service, ServiceError
    from storage.db import check_writable, connect

    config, moved = load(config_path, origins)
    outlets = config.select(outlet_ids)
    db = connect(db_path)  # a store every crawl would fail to write: one line now, exit 2 or 3
    try:
        check_writable(db)
    finally:
        db.conn.close()
    logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not verbose:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    options = Options(db_path=db_path, config_path=config_path, origins=moved,
                      parallel=parallel, jitter=jitter, grace=grace,
                      crawl_timeout=crawl_timeout, health_every=health_every, verbose=verbose,
                      alerts_path=alerts_path, topics_path=topics_path,
                      # the crawls' progress goes to the service log: lines unless told
                      progress=os.environ.get("RASAD_PROGRESS") or "lines")
    try:
        Service(config, outlets, options).serve()
    except ServiceError as exc:
        raise WorkFailed(str(exc)) from None
