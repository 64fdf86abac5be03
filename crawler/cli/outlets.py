"""`rasad outlets`: what is configured; `add` and `check` live in crawler/cli/onboard.py."""
from __future__ import annotations

import json

import click

from crawler.cli import main
from crawler.cli.options import config_option, load


@main.group(invoke_without_command=True)
@config_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
@click.pass_context
def outlets(ctx: click.Context, config_path: str | None, origins: tuple[str, ...],
            as_json: bool) -> None:
    """List the configured outlets and their entry points; add or check one.

    \b
    Examples:
        rasad outlets
        rasad outlets --config config/mirror.toml --json
        rasad outlets add https://example.com/ --dry-run
        rasad outlets check maseer
    """
    if ctx.invoked_subcommand is not None:
        return
    config, _ = load(config_path, origins)
    for outlet in config.outlets.values():
        if as_json:
            click.echo(json.dumps(outlet.model_dump(), ensure_ascii=False))
            continue
        click.echo(f"{outlet.id}  {outlet.name}")
        click.echo(f"  home      {outlet.home}")
        for label, urls in (("feeds", outlet.feeds), ("sitemaps", outlet.sitemaps),
                            ("listings", outlet.listings)):
            for u in urls:
                click.echo(f"  {label:<9} {u}")
        click.echo(f"  articles  {' | '.join(outlet.article_url)}")
        found = "robots.txt, head feeds, home-page sections" if outlet.discover else "off"
        click.echo(f"  discover  {found}")
        schedule = f"cron {outlet.cron}" if outlet.cron else f"every {outlet.interval}"
        click.echo(f"  schedule  {schedule}; delay {outlet.politeness.delay}s, "
                   f"concurrency {outlet.politeness.concurrency}")


from crawler.cli import onboard as _onboard  # noqa: E402,F401  (registers add, check)
