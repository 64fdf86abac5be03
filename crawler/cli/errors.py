"""Exit statuses and the errors that carry them: a user's mistake or a failing store is one line
on stderr and a documented status, never a traceback.

0 done; 1 the work failed (every outlet failed, an alert failed, no article in a page);
2 usage or configuration error (a bad option or value, an unknown outlet/topic/country/channel,
an invalid config file, a store that is missing, a directory or not a rasad store): nothing was
done; 3 the store failed (cannot be written: read-only file or folder, disk full, locked past the
busy timeout, I/O error): a crawl stops at the first failed write."""
from __future__ import annotations

import click

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE = 3


class UsageFailure(click.ClickException):
    exit_code = EXIT_USAGE


class StoreFailure(click.ClickException):
    exit_code = EXIT_STORE


class WorkFailed(click.ClickException):
    """The command was right, the work failed (a receiver refused the test alert)."""

    exit_code = EXIT_FAILED
