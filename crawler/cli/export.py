"""`rasad export`: articles with provenance as CSV, JSON Lines, JSON or XLSX."""
from __future__ import annotations

import itertools
import sys
from datetime import date
from pathlib import Path
from typing import IO

import click

from crawler.cli import main
from crawler.cli.filtering import build_filter, check_known, filter_options, open_store
from crawler.cli.options import db_option

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
           ".xlsx": "xlsx"}


def output_format(fmt: str | None, output: str | None) -> str:
    """The format to write: --format, else the --output extension, else JSON Lines; a file
    whose extension names another format (or none we write) is refused, never mislabelled."""
    suffix = Path(output).suffix.lower() if output else ""
    by_name = FORMATS.get(suffix)
    if output and suffix and by_name is None:
        raise click.UsageError(f"--output {output}: unknown extension {suffix!r} "
                               f"(use {', '.join(FORMATS)} or no extension with --format)")
    if fmt and by_name and fmt != by_name:
        raise click.UsageError(f"--output {output} is {by_name} by its extension but "
                               f"--format is {fmt}")
    chosen = fmt or by_name or "jsonl"
    if chosen == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a file: give --output FILE.xlsx")
    return chosen


@main.command()
@db_option
@filter_options
@click.option("--query", "-q", default=None, metavar="QUERY",
              help="Only articles matching this full-text query (as `rasad search`), best first.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json", "xlsx"]),
              default=None,
              help="Output format (default: from the --output extension, else jsonl).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (.csv, .jsonl, .json, .xlsx) instead of standard output.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most articles to export.")
def export(db_path: str, outlets: tuple[str, ...], since: date | None, until: date | None,
           topic: str | None, country: str | None, query: str | None, fmt: str | None,
           output: str | None, limit: int | None) -> None:
    """Export stored articles with provenance: url, outlet, published, first seen, topics
    matched, countries named, story id, title and body.

    Newest first (best first with --query). CSV and XLSX have one row per article (topics and
    countries joined by ";"); JSON Lines one object per line; JSON one array. The format comes
    from --format or the --output extension; an unknown extension is refused.

    \b
    Examples:
        rasad export --db rasad.db --topic partnership --since 2025-01-01 -o partnership.csv
        rasad export --outlet maseer --format jsonl > maseer.jsonl
        rasad export --query "الحرس الوطني" --country KW -o kuwait.xlsx
    """
    from crawler.cli.writers import WRITERS
    from storage.export import export_rows
    from storage.filters import FilterError
    from storage.search_query import QueryError

    fmt = output_format(fmt, output)
    where = build_filter(outlets, since, until, topic, country, query)
    db = open_store(db_path)
    check_known(db, outlets, topic)
    rows = export_rows(db.conn, where, limit)
    try:
        first = next(rows, None)
    except (QueryError, FilterError) as exc:
        raise click.ClickException(str(exc)) from None
    records = itertools.chain([first] if first else [], rows)
    try:
        if fmt == "xlsx":
            count = WRITERS["xlsx"](records, output)
        else:
            stream: IO[str] = (open(output, "w", encoding="utf-8", newline="") if output
                               else sys.stdout)
            try:
                count = WRITERS[fmt](records, stream)
            finally:
                if output:
                    stream.close()
    except OSError as exc:
        if not output:
            raise
        raise click.BadParameter(f"cannot write {output}: {exc.strerror or exc}",
                                 param_hint="--output") from None
    click.echo(f"exported {count} articles" + (f" to {output}" if output else ""), err=True)
