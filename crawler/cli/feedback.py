"""`rasad alerts feedback ID right|wrong`: a reader's verdict on an alert."""
from __future__ import annotations

import click

from crawler.cli.alerts import alerts
from crawler.cli.errors import UsageFailure
from crawler.cli.options import db_option


@alerts.command()
@click.argument("alert_id", metavar="ID", type=int)
@click.argument("verdict", type=click.Choice(["right", "wrong"]))
@click.option("--note", help="Why, in the reader's words (kept with the verdict).")
@db_option
def feedback(alert_id: int, verdict: str, note: str | None, db_path: str) -> None:
    """Record whether alert ID (the id column of `rasad alerts list`) was right or wrong for
    its topic. A later verdict on the same alert replaces the earlier one; `rasad topics
    backtest` scores the rules on these verdicts and lists the rule groups that fired on the
    wrong ones.

    \b
    Example:
        rasad alerts feedback 42 wrong --note "Russia-Tajikistan drill" --db rasad.db
    """
    from crawler.cli.options import existing_store
    from storage.db import connect
    from storage.feedback import UnknownAlert, record_feedback

    db = connect(existing_store(db_path))
    try:
        row = record_feedback(db, alert_id, verdict, note)
    except UnknownAlert:
        raise UsageFailure(
            f"{db_path}: no alert {alert_id} (see `rasad alerts list`)") from None
    finally:
        db.conn.close()
    click.echo(f"alert {alert_id} ({row['topic']} → {row['channel']}): {verdict} — "
               f"{row['title']}")
