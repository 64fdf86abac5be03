"""Worker mode of `rasad crawl --redis`, and `rasad ingest` (the one writer)."""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
from typing import Any

import click

from crawler.cli import main
from crawler.cli.options import alerts_option, config_option, db_option, load, topics_option


def crawl_worker(config: Any, outlets: list[Any], url: str, origins: dict[str, str],
                 overrides: dict[str, Any], delay: float | None, as_json: bool) -> None:
    """One worker's pass: joins (or starts) each outlet's shared crawl and returns when it is
    over for every worker. Prints one line per outlet; exit status 2 when refused (nothing
    done), 1 when every outlet failed."""
    from crawler.cli.errors import UsageFailure
    from crawler.cluster import crawl as cluster
    from crawler.cluster import keys
    from crawler.cluster.worker import new_worker_id

    try:
        server = keys.connect(url)
        prints = cluster.preflight(server, url, config, outlets, delay)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    worker_id = new_worker_id()
    results = cluster.run(config, [o.id for o in outlets], url, worker_id, prints, origins,
                          overrides)
    failed = 0
    for result in results:
        c = result.counts
        pushed = c["stats"].get("rasad/articles/pushed", 0)
        if as_json:
            click.echo(json.dumps({"outlet": result.outlet, "worker": worker_id,
                                   "finish_reason": result.finish_reason, "pushed": pushed,
                                   **{k: v for k, v in c.items() if k != "stats"}},
                                  ensure_ascii=False))
        else:
            click.echo(f"{result.outlet:<16} requests {c['requests']:>5}  pushed {pushed:>4}  "
                       f"skipped-known {c['stats'].get('rasad/articles/skipped_known', 0):>4}  "
                       f"not-articles {c['extract_failures']:>3}  errors {c['errors']:>3}  "
                       f"({result.finish_reason})")
        if result.finish_reason == "config_mismatch":  # lost the race the check above missed
            raise UsageFailure(f"outlet {result.outlet}: refused: the crawl running on {url} "
                               "uses another config of this outlet")
        if result.finish_reason != "finished" or (c["pages_fetched"] == 0 and c["errors"]):
            failed += 1
    if failed == len(results) and results:
        sys.exit(1)


@main.command()
@config_option
@db_option
@click.option("--redis", "redis_url", metavar="URL", envvar="RASAD_REDIS", show_envvar=True,
              required=True, help="The Redis the workers push to (redis://HOST:PORT/DB).")
@click.option("--drain", is_flag=True,
              help="Exit once the stream is empty, no crawl round runs and no worker is alive "
                   "(default: run until SIGTERM or Ctrl-C).")
@click.option("--alert-backfill", is_flag=True, envvar="RASAD_ALERT_BACKFILL",
              help="Alert on an outlet's first crawl too (default: a baseline, not alerted).")
@alerts_option
@topics_option
@click.option("--json", "as_json", is_flag=True, help="Print the final counts as JSON.")
@click.option("-v", "--verbose", count=True, help="-v: log each round, -vv: debug.")
def ingest(config_path: str | None, origins: tuple[str, ...], db_path: str, redis_url: str,
           drain: bool, alert_backfill: bool, alerts_path: str | None, topics_path: str | None,
           as_json: bool, verbose: int) -> None:
    """Write what the workers found into the store: the one writer of worker mode.

    Reads the articles that `rasad crawl --redis` workers push to Redis and stores each
    through the same store code as a plain crawl (deduplication, versions, search index,
    topics, alert outbox), acknowledging it only after its transaction commits. Also keeps
    the stored URLs in Redis for the workers and records each outlet's crawl rounds. Runs
    until SIGTERM or Ctrl-C (it finishes the article in hand, then exits 0). One writer per
    Redis: a second one waits briefly, then exits with an error.

    \b
    Examples:
        rasad ingest --redis redis://127.0.0.1:6379/0 --db rasad.db
        rasad ingest --redis redis://10.0.0.5:6379/0 --db rasad.db --drain
    """
    from crawler.cli import alerts as alerts_hooks
    from crawler.cli.errors import StoreFailure
    from crawler.cluster import keys
    from crawler.cluster.ingest import Writer, WriterBusy, stats_json
    from crawler.components.storefail import STORE_ERRORS
    from storage.versions import parse_threshold

    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    config, _ = load(config_path, origins)
    alerts_hooks.before_crawl(alerts_path, topics_path)  # checks the topic and alert files
    try:  # checked here so a bad value is one clear line, not a traceback from the store
        parse_threshold(os.environ.get("RASAD_MATERIAL_CHANGE"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        server = keys.connect(redis_url)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        writer = Writer(server, db_path, config, {
            "RASAD_ALERTS": alerts_path or "", "RASAD_TOPICS": topics_path or "",
            "RASAD_ALERT_BACKFILL": alert_backfill})
    except STORE_ERRORS as exc:
        raise StoreFailure(_store_error(db_path, exc)) from None
    stopping = []

    def stop(signum: int, _frame: Any) -> None:
        stopping.append(signum)  # finish the article in hand, then leave

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        writer.take_lock()
        published = writer.publish_known()
        logging.getLogger(__name__).info("published %d stored URLs", published)
        report = writer.run(lambda: bool(stopping), drain=drain)
    except WriterBusy as exc:
        raise click.ClickException(f"{redis_url}: {exc}") from None
    except STORE_ERRORS as exc:  # the entry in hand stays in the stream for the next writer
        raise StoreFailure(f"{_store_error(db_path, exc)}; the writer stopped at this first "
                           "failed write") from None
    finally:
        writer.close()
    if as_json:
        click.echo(stats_json(report))
    else:
        counts = "  ".join(f"{k} {v}" for k, v in sorted(report.articles.items()))
        click.echo(f"ingest: {report.written} articles ({counts or 'none'}), rounds "
                   f"started {report.runs_started}, ended {report.runs_ended}, "
                   f"{report.seconds:.1f} s"
                   + (f", {report.skipped} unreadable entries skipped" if report.skipped else ""))


def _store_error(db_path: str, exc: BaseException) -> str:
    from storage.db import StoreError

    return str(exc if isinstance(exc, StoreError) else StoreError(db_path, exc))
