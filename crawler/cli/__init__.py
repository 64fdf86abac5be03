"""The `rasad` command. Each command lives in its own module and registers on `main`."""
from __future__ import annotations

import click

from crawler.config.outlets import ConfigError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rasad")
def main() -> None:
    """rasad (رصد): monitor Arabic-language news for security and defence partnership articles.

    \b
    Example:
        rasad crawl --config config/mirror.toml --db rasad.db
    """


# Registration: importing each module adds its commands to `main`.
from crawler.cli import alerts as _alerts  # noqa: E402,F401
from crawler.cli import crawl as _crawl  # noqa: E402,F401
from crawler.cli import export as _export  # noqa: E402,F401
from crawler.cli import extract as _extract  # noqa: E402,F401
from crawler.cli import mirror as _mirror  # noqa: E402,F401
from crawler.cli import outlets as _outlets  # noqa: E402,F401
from crawler.cli import run as _run  # noqa: E402,F401
from crawler.cli import search as _search  # noqa: E402,F401
from crawler.cli import serve as _serve  # noqa: E402,F401
from crawler.cli import status as _status  # noqa: E402,F401
from crawler.cli import topics as _topics  # noqa: E402,F401
from crawler.cli import worker as _worker  # noqa: E402,F401
