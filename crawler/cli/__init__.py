"""The `rasad` command. Each command lives in its own module and registers on `main`."""
from __future__ import annotations

import importlib
import sqlite3

from crawler import startup

startup.pause()  # until the command has imported what it needs (crawler/startup.py)

import click  # noqa: E402

from crawler.cli.errors import StoreFailure, UsageFailure  # noqa: E402
from crawler.config.outlets import ConfigError  # noqa: E402
from storage.db import StoreError, describe  # noqa: E402


class _Group(click.Group):
    """Turns the mistakes a user can make, and a failing store, into one line and an exit status
    (crawler/cli/errors.py); anything else is a bug and keeps its traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module in _COMMANDS.get(cmd_name, ()):  # importing it registers the command
            importlib.import_module(f"crawler.cli.{module}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        from crawler.config.errors import AlertConfigError, TopicConfigError

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
@click.pass_context
def main(ctx: click.Context) -> None:
    """rasad (رصد): monitor Arabic-language news for security and defence partnership articles.

    \b
    Example:
        rasad crawl --config config/mirror.toml --db rasad.db

    Exit status: 0 done, 1 the work failed, 2 a usage or configuration error, 3 the store failed.
    """
    from crawler import settings
    from storage.db import configure

    configure(busy_timeout=settings.RASAD_BUSY_TIMEOUT)
    if ctx.invoked_subcommand != "crawl":  # a crawl resumes once its spiders are built
        startup.resume()


# Registration: a command's module is imported when the command is asked for (it then adds
# itself to `main`), so `rasad crawl` does not pay for every other command's imports (the
# onboarding prober's extractor and httpx, the scheduler, the server: ~0.1 s of each start).
_COMMANDS: dict[str, tuple[str, ...]] = {
    "alerts": ("alerts", "feedback"), "crawl": ("crawl",), "export": ("export",),
    "extract": ("extract",), "ingest": ("worker",), "mirror": ("mirror",),
    "outlets": ("outlets",), "reindex": ("search",), "run": ("run",), "search": ("search",),
    "serve": ("serve",), "status": ("status",), "topics": ("topics",),
}


def all_commands() -> dict[str, click.Command]:
    """Every command (each module imported): for the docs check and help listings."""
    for name in _COMMANDS:
        main.get_command(click.Context(main), name)
    return dict(main.commands)
