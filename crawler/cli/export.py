"""`rasad export`: articles with provenance as CSV or JSON Lines."""
from __future__ import annotations

import csv
import itertools
import json
import sys
from datetime import date
from pathlib import Path
from typing import IO

import click

from crawler.cli import main
from crawler.cli.filtering import build_filter, check_known, filter_options, open_store
from crawler.cli.options import db_option


@main.command()
@db_option
@filter_options
@click.option("--query", "-q", default=None, metavar="QUERY",
              help="Only articles matching this full-text query (as `rasad search`), best first.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Output format (default: from the --output extension, else jsonl).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most articles to export.")
def export(db_path: str, outlets: tuple[str, ...], since: date | None, until: date | None,
           topic: str | None, country: str | None, query: str | None, fmt: str | None,
           output: str | None, limit: int | None) -> None:
    """Export stored articles with provenance: url, outlet, published, first seen, topics
    matched, countries named, story id, title and body.

    Newest first (best first with --query). CSV has one row per article (topics and countries
    joined by ";"); JSON Lines one object per article.

    \b
    Examples:
        rasad export --db rasad.db --topic partnership --since 2025-01-01 -o partnership.csv
        rasad export --outlet maseer --format jsonl > maseer.jsonl
        rasad export --query "الحرس الوطني" --country KW --format csv
    """
    from storage.export import FIELDS, export_rows
    from storage.filters import FilterError
    from storage.search_query import QueryError

    if fmt is None:
        fmt = "csv" if output and Path(output).suffix.lower() == ".csv" else "jsonl"
    where = build_filter(outlets, since, until, topic, country, query)
    db = open_store(db_path)
    check_known(db, outlets, topic)
    rows = export_rows(db.conn, where, limit)
    try:
        first = next(rows, None)
    except (QueryError, FilterError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        stream: IO[str] = open(output, "w", encoding="utf-8", newline="") if output \
            else sys.stdout
    except OSError as exc:
        raise click.BadParameter(f"cannot write {output}: {exc.strerror}",
                                 param_hint="--output") from None
    count = 0
    try:
        if fmt == "csv":
            writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
        for row in itertools.chain([first] if first else [], rows):
            if fmt == "csv":
                writer.writerow({**row, "topics": ";".join(row["topics"]),
                                 "countries": ";".join(row["countries"])})
            else:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if output:
            stream.close()
    click.echo(f"exported {count} articles" + (f" to {output}" if output else ""), err=True)

