"""`rasad mirror`: serve the offline mirror of the outlets on loopback."""
from __future__ import annotations

import click

from crawler.cli import main
from crawler.cli.options import check_listen


@main.command()
@click.option("--port-base", type=click.IntRange(1, 65533), default=8701, show_default=True,
              help="First port; the outlets get consecutive ports (as in config/mirror.toml).")
@click.option("--scale", default=0, show_default=True,
              help="Add this many generated articles per outlet (benchmarks).")
@click.option("--skin", type=click.Choice(["normal", "redesign"]), default="normal",
              show_default=True,
              help="redesign: the configured outlets as after a site redesign (other class "
                   "names and widgets around the same content); their rules report drift.")
def mirror(port_base: int, scale: int, skin: str) -> None:
    """Serve the offline mirror of centcomcitadel, maseer and alqaed on 127.0.0.1, and of
    rafid and wahat, two outlets with no config or rules (for `rasad outlets add`).

    It imitates each outlet's URL shapes, theme markup, feeds, sitemaps, robots.txt and
    pagination. Stop with Ctrl-C.

    \b
    Example:
        rasad mirror &    # then, in another shell:
        rasad crawl --config config/mirror.toml --db mirror.db
        rasad mirror --skin redesign    # then rasad status shows "rules drift"
        rasad outlets add http://127.0.0.1:8705/ --id wahat --config my.toml --delay 0
    """
    from crawler.dev.mirror import serve_forever
    from crawler.dev.mirror.corpus import OUTLETS

    for n in range(len(OUTLETS)):
        check_listen("127.0.0.1", port_base + n, "--port-base")
    serve_forever(port_base=port_base, scale=scale, layout=skin)
