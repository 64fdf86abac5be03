"""`rasad serve`: browse, search and chart the store in a web browser (Datasette)."""
from __future__ import annotations

import click

from crawler.cli import main
from crawler.cli.filtering import open_store
from crawler.cli.options import check_listen, db_option


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0: every interface; there is no login).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port to listen on.")
def serve(db_path: str, host: str, port: int) -> None:
    """Serve the store read-only in a web browser (Datasette): tables and views with
    descriptions, an Arabic-aware search, canned queries (partnership articles by week, outlet,
    country) and weekly charts per topic and outlet (Dashboards menu).

    \b
    Examples:
        rasad serve --db rasad.db                 # then open http://127.0.0.1:8001/
        rasad serve --db rasad.db --port 8080
    """
    from crawler.serve import run

    open_store(db_path).conn.close()  # migrations and pending index rows, before going read-only
    check_listen(host, port, "--port")
    click.echo(f"rasad serve: http://{host}:{port}/  (Ctrl-C to stop)", err=True)
    run(db_path, host, port)
