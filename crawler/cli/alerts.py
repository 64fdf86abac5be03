"""`rasad alerts list | dispatch | test`: what was alerted, draining the outbox, a test message."""
from __future__ import annotations

import json
import secrets
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from crawler.cli import main
from crawler.cli.errors import WorkFailed
from crawler.cli.options import alerts_option, db_option, existing_store


def _config(alerts_path: str | None) -> Any:
    from crawler.alerts.config import AlertConfigError, load_alerts

    try:
        return load_alerts(alerts_path)
    except AlertConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _checked_config(alerts_path: str | None) -> Any:
    """The channels, each channel's `topics` checked against the topic rules (a channel naming
    no topic would silently never fire)."""
    from crawler.alerts.listener import load_topics_cached

    config = _config(alerts_path)
    config.check_topics(load_topics_cached())
    return config


@main.group()
def alerts() -> None:
    """Alerts on new articles that match a topic: list them, send them, test a channel.

    \b
    Example:
        rasad alerts list --db rasad.db
    """


@alerts.command("list")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table, or json: one object per line.")
@click.option("--status", type=click.Choice(["pending", "retrying", "sending", "sent", "failed",
                                             "baseline"]),
              help="Only alerts in this state.")
@click.option("--topic", help="Only this topic.")
@click.option("--channel", help="Only this channel.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N alerts.")
def list_cmd(db_path: str, fmt: str, status: str | None, topic: str | None, channel: str | None,
             limit: int | None) -> None:
    """The alerts of the store, newest first: one per story, topic and channel.

    Status: pending (not sent yet), retrying (an attempt failed, another is scheduled), sending,
    sent, failed (a final error, see last_error), baseline (matched during the outlet's first
    crawl: recorded, never sent).

    \b
    Examples:
        rasad alerts list --db rasad.db
        rasad alerts list --format json --status failed
    """
    from storage.alerts import list_alerts
    from storage.db import connect_readonly

    try:
        db = connect_readonly(db_path)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    _known(db, "topic", topic, "SELECT DISTINCT topic FROM alert_outbox", _topic_ids)
    _known(db, "channel", channel, "SELECT DISTINCT channel FROM alert_outbox",
           lambda: list(_config(None).channels))
    try:
        rows = list_alerts(db, status=status, topic=topic, channel=channel, limit=limit)
    except sqlite3.OperationalError as exc:  # a store older than the alert tables
        raise click.ClickException(f"{db_path}: {exc} (any writing command, e.g. `rasad alerts "
                                   "dispatch`, brings the store up to date)") from None
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if not rows:
        click.echo("no alerts")
        return
    click.echo(f"{'created':<20} {'status':<9} {'channel':<12} {'topic':<12} {'outlet':<15} "
               "title / url")
    for r in rows:
        click.echo(f"{r['created']:<20} {r['status']:<9} {r['channel']:<12} {r['topic']:<12} "
                   f"{r['outlet']:<15} {r['title']}")
        click.echo(f"{'':<71} {r['url']}")
        if r["last_error"] and r["status"] != "sent":
            click.echo(f"{'':<71} last error: {r['last_error']}")


@alerts.command()
@db_option
@alerts_option
@click.option("--channel", "only", metavar="ID", help="Only this channel.")
@click.option("--flush-digests", is_flag=True,
              help="Send digest channels' waiting alerts now instead of at the period's end.")
@click.option("--retry-failed", is_flag=True,
              help="First give failed alerts a new round of attempts (same message ids).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def dispatch(db_path: str, alerts_path: str | None, only: str | None, flush_digests: bool,
             retry_failed: bool, as_json: bool) -> None:
    """Send the alerts waiting in the outbox (once; `rasad crawl` also does it after a pass).

    Each alert is sent once per story, topic and channel: under a message id fixed before the
    first attempt, retried with backoff on timeouts, 5xx and 429 (honouring Retry-After), not
    retried on other 4xx. Exit status 1 when an alert failed.

    \b
    Examples:
        rasad alerts dispatch --db rasad.db
        rasad alerts dispatch --channel ops-slack --flush-digests
    """
    from crawler.alerts.dispatcher import dispatch_pending
    from storage import outbox
    from storage.db import check_writable, connect

    config = _checked_config(alerts_path)
    if only and only not in config.channels:
        raise click.ClickException(f"{config.path}: no channel {only!r} "
                                   f"(known: {', '.join(sorted(config.channels)) or 'none'})")
    existing_store(db_path)  # a mistyped --db must not become a new, empty store
    db = connect(db_path)
    try:
        check_writable(db)  # a read-only or locked store: one line now, not a failure per send
    finally:
        db.conn.close()
    if retry_failed:
        db = connect(db_path)
        try:
            n = outbox.requeue_failed(db, only)
        finally:
            db.conn.close()
        click.echo(f"requeued {n} failed message(s)", err=as_json)
    report = dispatch_pending(db_path, only=only, flush_digests=flush_digests, config=config)
    print_report(report, as_json)
    if report.total("failed"):
        sys.exit(1)


def _topic_ids() -> list[str]:
    from crawler.alerts.listener import load_topics_cached

    return list(load_topics_cached())


def _known(db: Any, what: str, value: str | None, sql: str, configured: Any) -> None:
    """An unknown --topic/--channel is a typo to report, not "no alerts"."""
    if value is None:
        return
    try:
        known = {r[0] for r in db.conn.execute(sql)}
    except sqlite3.OperationalError:
        known = set()
    try:
        known |= set(configured())
    except Exception:  # noqa: BLE001 - a broken config file: the store's names still count
        pass
    if value not in known:
        raise click.ClickException(f"unknown {what} {value!r} "
                                   f"(known: {', '.join(sorted(known)) or 'none'})")


def print_report(report: Any, as_json: bool = False, err: bool = False) -> None:
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False), err=err)
        return
    if not report.channels:
        click.echo("alerts: no channel enabled", err=err)
    for rep in report.channels.values():
        click.echo(f"alerts: {rep.summary()}", err=err)
        for error in rep.errors:
            click.echo(f"  {error}", err=err)


@alerts.command()
@click.argument("channel_id", metavar="CHANNEL")
@alerts_option
@db_option
def test(channel_id: str, alerts_path: str | None, db_path: str) -> None:
    """Send one sample alert to CHANNEL now (not recorded in the store).

    The sample has a fresh message id and an Arabic title with Slack/HTML control characters,
    so escaping shows. A JSON Lines channel's relative path is taken from --db's folder.

    \b
    Example:
        RASAD_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/… rasad alerts test ops-slack
    """
    from crawler.alerts.channels import MissingSecret, sender_for
    from crawler.alerts.message import Message
    from storage.db_time import now_iso

    config = _checked_config(alerts_path)
    channel = config.channels.get(channel_id)
    if channel is None:
        known = ", ".join(sorted(config.channels)) or "none"
        raise click.ClickException(f"{config.path}: no channel {channel_id!r} (known: {known})")
    message = Message(f"msg_test_{secrets.token_hex(10)}", "alert", channel.id,
                      sample_alert(), now_iso())
    try:
        sender = sender_for(channel, Path(db_path).resolve().parent)
    except MissingSecret as exc:
        raise click.ClickException(f"channel {channel.id!r}: {exc}") from None
    try:
        outcome = sender.send(message)
    finally:
        sender.close()
    if outcome.ok:
        click.echo(f"sent {message.id} to {channel.id} ({channel.kind})"
                   + (f": status {outcome.status}" if outcome.status else ""))
        return
    kind = "temporary" if outcome.retry else "permanent"
    raise WorkFailed(f"{channel.id}: {kind} failure: {outcome.error}")


def sample_alert() -> dict[str, Any]:
    return {
        "topic": "partnership", "topic_label": "شراكات أمنية ودفاعية (تجربة)",
        "story_id": 0, "article_id": 0, "outlet": "rasad-test",
        "url": "https://example.org/rasad-test?a=1&b=<2>",
        "title": "رسالة تجريبية من رصد <!channel> & <@U0000> — test alert",
        "published": now_date(), "score": 9.5, "threshold": 6.0,
        "countries": {"TJ": 2, "US": 1}, "states": {"VA": 1},
        "terms": {"spp": {"برنامج الشراكة": 1}},
        "reason": "sample: US/NATO side «الحرس الوطني لولاية فرجينيا» and regional participant "
                  "«طاجيكستان» in «برنامج الشراكة» (title)",
        "sentences": ["الحرس الوطني لولاية فرجينيا وطاجيكستان يعززان برنامج الشراكة بين الدول"],
        "reasons": ["matched: score 9.5, threshold 6.0 (sample)"],
    }


def now_date() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).date().isoformat()


# --- hooks for `rasad crawl` ------------------------------------------------------------------
def before_crawl(alerts_path: str | None, topics_path: str | None) -> None:
    """Check the topic and alert files before crawling (a bad file must not surface mid-crawl
    inside Scrapy)."""
    from crawler.config import validated

    marker = validated.crawl_files(alerts_path, topics_path)
    if validated.seen(marker):  # these bytes passed before (crawler/config/validated.py)
        return
    from crawler.alerts.config import AlertConfigError
    from crawler.alerts.listener import load_topics_cached
    from crawler.topics import TopicConfigError

    try:
        _config(alerts_path).check_topics(load_topics_cached(topics_path))
    except (AlertConfigError, TopicConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    validated.remember(marker)


def after_crawl(db_path: str, alerts_path: str | None, as_json: bool,
                backfill: bool = False) -> None:
    """Send what the pass queued, when a channel is enabled. A failing channel is reported, it
    does not fail the crawl (its alerts stay in the outbox for the next dispatch)."""
    from crawler.alerts.dispatcher import dispatch_pending

    config = _config(alerts_path)
    if not config.enabled():
        return
    try:
        # A backfill's alerts go out as one digest per channel, not one message per article.
        report = dispatch_pending(db_path, config=config, backfill=backfill)
    except Exception as exc:  # noqa: BLE001 - the crawl's results are stored already
        click.echo(f"alerts: dispatch failed: {type(exc).__name__}: {exc}", err=True)
        return
    print_report(report, err=as_json)
