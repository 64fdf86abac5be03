"""The `rasad` command. Each command lives in its own module and registers on `main`."""
from __future__ import annotations

import sqlite3

import click

from crawler.cli.errors import StoreFailure, UsageFailure
from crawler.config.outlets import ConfigError
from storage.db import StoreError, describe


class _Group(click.Group):
    """Turns the mistakes a user can make, and a failing store, into one line and an exit status
    (crawler/cli/errors.py); anything else is a bug and keeps its traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from crawler.alerts.config import AlertConfigError
        from crawler.topics import TopicConfigError

        try:
            return super().invoke(ctx)
        except (ConfigError, AlertConfigError, TopicConfigError) as exc:
            raise UsageFailure(str(exc)) from None
        except StoreError as exc:
            raise (UsageFailure if exc.usage else StoreFailure)(str(exc)) from None
        except sqlite3.Error as exc:
            raise StoreFailure(f"store {_db_path(ctx)}: {describe(exc)}") from None
        except click.ClickException as exc:
            if type(exc) is click.ClickException:  # the commands' own "you asked for X" errors
                exc.exit_code = UsageFailure.exit_code
            raise


def _db_path(ctx: click.Context) -> str:
    from crawler.cli.options import current_db

    return current_db() or "(--db)"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rasad")
def main() -> None:
    """rasad (رصد): monitor Arabic-language news for security and defence partnership articles.

    \b
    Example:
        rasad crawl --config config/mirror.toml --db rasad.db

    Exit status: 0 done, 1 the work failed, 2 a usage or configuration error, 3 the store failed.
    """
    from crawler import settings
    from storage.db import configure

    configure(busy_timeout=settings.RASAD_BUSY_TIMEOUT)


# Registration: importing each module adds its commands to `main`.
from crawler.cli import alerts as _alerts  # noqa: E402,F401
from crawler.cli import crawl as _crawl  # noqa: E402,F401
from crawler.cli import export as _export  # noqa: E402,F401
from crawler.cli import extract as _extract  # noqa: E402,F401
from crawler.cli import feedback as _feedback  # noqa: E402,F401
from crawler.cli import mirror as _mirror  # noqa: E402,F401
from crawler.cli import outlets as _outlets  # noqa: E402,F401
from crawler.cli import run as _run  # noqa: E402,F401
from crawler.cli import search as _search  # noqa: E402,F401
from crawler.cli import serve as _serve  # noqa: E402,F401
from crawler.cli import status as _status  # noqa: E402,F401
from crawler.cli import topics as _topics  # noqa: E402,F401
from crawler.cli import worker as _worker  # noqa: E402,F401
