"""`rasad outlets add URL` (probe a site, write its entry) and `rasad outlets check ID`."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.cli.errors import UsageFailure, WorkFailed
from crawler.cli.options import config_option, load
from crawler.cli.outlets import outlets
from crawler.config.outlets import DEFAULT_CONFIG
from crawler.onboard import entry as entries
from crawler.onboard.fetch import ProbeError
from crawler.onboard.samples import Sample

_DELAY = click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                      help="Seconds between requests to the site.")
_SAMPLES = click.option("--samples", type=click.IntRange(1, 20), default=5, show_default=True,
                        help="Article pages fetched and extracted as samples.")


def _sample_lines(s: Sample) -> list[str]:
    lines = [f"  {'ok ' if s.ok else 'BAD'} {s.url}", f"      verdict  {s.verdict}"]
    if s.title:
        date = f"{s.published} ({s.date_source})" if s.published else "none"
        lines += [f"      title    {s.title}", f"      date     {date}   words {s.words}"]
        lines += [f"      text     {line}" for line in s.first_lines[:2]]
    return lines


@outlets.command()
@click.argument("url")
@click.option("--id", "outlet_id", default=None, metavar="ID",
              help="The outlet's id (default: from the host name, e.g. maseer for maseer.net).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="RASAD_CONFIG",
              default=None, show_envvar=True,
              help="Outlets file to add to, created when missing (default: config/outlets.toml).")
@click.option("--dry-run", is_flag=True, help="Print the entry; write nothing.")
@_DELAY
@_SAMPLES
def add(url: str, outlet_id: str | None, config_path: str | None, dry_run: bool, delay: float,
        samples: int) -> None:
    """Probe a news site and add it as an outlet.

    Reads robots.txt, the home page, its feeds and sitemaps (obeying robots.txt, with rasad's
    User-Agent and --delay between requests), infers the article URL pattern from what they
    list, finds the listing pages and their pagination, detects the theme, extracts --samples
    articles and shows them, then appends a validated entry to the outlets file (other entries
    and comments untouched). Exit status 1 with one line when no articles are found, 2 when
    the entry could not be written (an id or home page already there, an overlay).

    \b
    Examples:
        rasad outlets add https://www.example-news.com/ --dry-run
        rasad outlets add https://example.com/ar/ --id example --config config/outlets.toml
    """
    from crawler.onboard.probe import probe

    path = Path(config_path) if config_path else DEFAULT_CONFIG
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.UsageError(f"not an http(s) URL: {url!r}")
    outlet_id = outlet_id or entries.outlet_id_for(url)
    if not outlet_id:
        raise click.UsageError(f"cannot make an outlet id from {url}: give --id")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", outlet_id):
        raise click.UsageError(f"--id {outlet_id!r}: lower-case letters, digits and _, "
                               "starting with a letter")
    if not dry_run:  # refuse before probing what could not be written anyway
        entries.check_writable(path, outlet_id)
    try:
        finding = probe(url, delay=delay, samples=samples)
    except ProbeError as exc:  # the site gave nothing to add: the work failed (exit 1)
        raise WorkFailed(str(exc)) from None
    click.echo(f"probed {finding.home}: robots.txt {finding.robots_status or 'unreachable'}, "
               f"{finding.requests} requests")
    for label, found in (("feed", finding.sources.feeds), ("sitemap", finding.sources.sitemaps)):
        for s in found:
            click.echo(f"{label:<9} {s.url}  ({s.kind}, found by {s.found_by}, {s.entries} URLs)")
    evidence = ", ".join(f"{n} {k}" for k, n in finding.evidence.items() if n)
    click.echo(f"articles  {' | '.join(finding.article_url)}  ({evidence})")
    click.echo(f"listings  {len(finding.listings)} pages → "
               f"{' | '.join(finding.listing_url) or 'none'}; paging to page "
               f"{finding.max_listing_pages}")
    click.echo(f"theme     {finding.theme} ({finding.theme_evidence})")
    click.echo(f"samples   {finding.articles_ok}/{len(finding.samples)} ok")
    for s in finding.samples:
        for line in _sample_lines(s):
            click.echo(line)
    for note in finding.notes:
        click.echo(f"note      {note}")
    existing = entries.configured_home(path, finding.home)
    if existing and not dry_run:
        raise UsageFailure(f"{path}: {finding.home} is configured already as "
                           f"outlet {existing!r}")
    table = entries.entry_table(finding)
    entries.validate(outlet_id, table)
    text = entries.to_toml(outlet_id, table, entries.comments_for(finding, url))
    if dry_run:
        click.echo("\n" + text, nl=False)
        return
    entries.write_entry(path, outlet_id, text)
    click.echo(f"wrote outlet {outlet_id!r} to {path}")


@outlets.command()
@click.argument("outlet_id", metavar="ID")
@config_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object (for monitoring).")
@_DELAY
@_SAMPLES
def check(outlet_id: str, config_path: str | None, origins: tuple[str, ...], as_json: bool,
          delay: float, samples: int) -> None:
    """Check a configured outlet against its live site.

    Entry points alive (status, last change), the article pattern still matching what the
    feeds, sitemaps and home page link to, and --samples new articles extracted with the
    outlet's rules. Verdict: healthy, drift (the rules no longer fit the pages), stale (the
    entry's URLs or pattern no longer fit the site) or failing. Exit status 1 unless healthy.

    \b
    Examples:
        rasad outlets check maseer
        rasad outlets check alqaed --json --delay 2
    """
    from crawler.onboard.check import check as run_check

    config, _ = load(config_path, origins)
    outlet = config.select([outlet_id])[0]  # an unknown id is a ConfigError: exit 2
    report = run_check(outlet, delay=delay, samples=samples)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(f"{outlet.id}: {report.verdict}")
        for p in report.entry_points:
            items = f", {p.items} items" if p.items is not None else ""
            change = f", last change {p.last_change}" if p.last_change else ""
            click.echo(f"  {p.kind:<8} {p.status or p.error}  {p.url}{items}{change}")
        click.echo(f"  pattern  {report.listed_matching}/{report.listed} feed and sitemap links "
                   f"match, {report.home_matching} home-page links")
        click.echo(f"  theme    {report.theme} (pages look like: {report.detected_theme or '?'})")
        ok = sum(s.ok for s in report.samples)
        click.echo(f"  samples  {ok}/{len(report.samples)} ok")
        for s in report.samples:
            for line in _sample_lines(s):
                click.echo("  " + line)
        for problem in report.problems:
            click.echo(f"  problem  {problem}")
    if report.verdict != "healthy":
        sys.exit(1)
