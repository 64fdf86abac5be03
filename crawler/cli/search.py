"""`rasad search` (ranked full-text search in Arabic) and `rasad reindex`."""
from __future__ import annotations

import csv
import json
import sys
from datetime import date

import click

from crawler.cli import main
from crawler.cli.filtering import build_filter, check_known, filter_options, open_store
from crawler.cli.options import db_option, existing_store

FIELDS = ("id", "url", "title", "outlet", "published", "first_seen", "score", "snippet")
_MARK = ("\x02", "\x03")  # in-band markers, replaced per output format


# ignore_unknown_options: a query may start with "-" (an exclusion) without needing "--".
@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@db_option
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="Most results to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json: one object per line (JSON Lines).")
def search(query: str, db_path: str, outlets: tuple[str, ...], since: date | None,
           until: date | None, topic: str | None, country: str | None, limit: int,
           fmt: str) -> None:
    """Search the stored articles' titles and bodies, best matches first.

    Arabic is folded before matching (diacritics, tatweel, hamza forms, ى/ي, ة/ه, Persian
    letters), proclitics are optional (الحرس finds والحرس) and names match their spelling
    variants (فرجينيا finds فيرجينيا). Snippets show the text as written, matches marked
    (**…** in json/csv). All words must match; "quoted words" match exactly, word* is a prefix,
    a OR b either, -word excludes.

    \b
    Examples:
        rasad search "الحرس الوطني" --db rasad.db
        rasad search "برنامج الشراكة" --outlet maseer --since 2025-01-01 --format json
        rasad search 'تدريب* -"الحرس الوطني السعودي"' --topic partnership --country KW
    """
    from storage.filters import FilterError
    from storage.search import search as run_search
    from storage.search_query import QueryError

    where = build_filter(outlets, since, until, topic, country)
    db = open_store(db_path)
    check_known(db, outlets, topic)
    try:
        hits = run_search(db.conn, query, where, limit=limit, mark=_MARK)
    except (QueryError, FilterError) as exc:
        raise click.ClickException(str(exc)) from None
    if not hits:
        click.echo("no articles match", err=True)
    if fmt == "json":
        for hit in hits:
            row = hit.to_dict()
            row["snippet"] = _plain(row["snippet"])
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for hit in hits:
            writer.writerow({**hit.to_dict(), "snippet": _plain(hit.snippet)})
    else:
        for n, hit in enumerate(hits, 1):
            click.echo(f"{n:>3}. {hit.published or '(no date)':<10}  {hit.outlet:<14}  {hit.title}")
            click.echo(f"     {_styled(hit.snippet)}")
            click.echo(f"     {hit.url}")


def _plain(text: str) -> str:
    return text.replace(_MARK[0], "**").replace(_MARK[1], "**")


def _styled(text: str) -> str:
    # click.echo drops the styling when stdout is not a terminal; keep a visible marker then.
    if sys.stdout.isatty():
        parts = text.split(_MARK[0])
        out = [parts[0]]
        for part in parts[1:]:
            word, _, rest = part.partition(_MARK[1])
            out.append(click.style(word, bold=True, underline=True) + rest)
        return "".join(out)
    return _plain(text)


@main.command()
@db_option
def reindex(db_path: str) -> None:
    """Rebuild the full-text index from the stored articles.

    Seldom needed: the first search, export or serve indexes articles stored before search
    existed, and rebuilds the index after an upgrade that changes how Arabic is normalised.

    \b
    Example:
        rasad reindex --db rasad.db
    """
    from storage.db import connect
    from storage.search import reindex as run_reindex

    db = connect(existing_store(db_path))
    n = run_reindex(db)
    click.echo(f"indexed {n} articles")
