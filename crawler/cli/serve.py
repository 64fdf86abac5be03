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
@click.option("--feedback", is_flag=True,
              help="Let readers mark an alert right or wrong on its article page (the one "
                   "write the web view can make: `rasad alerts feedback`'s verdict).")
def serve(db_path: str, host: str, port: int, feedback: bool) -> None:
    """Serve the store read-only in a web browser (Datasette): the article list (titles
    first, Arabic right to left, facets for outlet, topic, country, month), an article page per
    article (body, topics and reasons, the story's other outlets, versions with a diff), a
    search form (the query language and filters of `rasad search`), the partnership map (US
    states and partner countries), charts per week and month, and the tables for SQL.

    Alerts link to the article pages when RASAD_VIEW_URL says where this runs.

    \b
    Examples:
        rasad serve --db rasad.db                 # then open http://127.0.0.1:8001/
        rasad serve --db rasad.db --port 8080
        rasad serve --db rasad.db --feedback      # alert verdicts from the article page
    """
    from crawler.serve import run

    open_store(db_path).conn.close()  # migrations and pending index rows, before going read-only
    check_listen(host, port, "--port")
    click.echo(f"rasad serve: http://{host}:{port}/  (Ctrl-C to stop)", err=True)
    run(db_path, host, port, feedback=feedback)
