"""`rasad extract`: run the extractor on saved pages, one JSON object per file."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from crawler.cli import main
from crawler.cli.options import config_option, load
from crawler.config.outlets import Config, Outlet

_CANONICAL = re.compile(
    rb"""<link[^>]+rel=["']?canonical["']?[^>]*>|<meta[^>]+property=["']og:url["'][^>]*>""",
    re.IGNORECASE,
)
_HREF = re.compile(rb"""(?:href|content)=["']([^"']+)["']""", re.IGNORECASE)


def page_url(data: bytes) -> str | None:
    """The URL a saved page names for itself (rel=canonical, else og:url)."""
    for tag in _CANONICAL.finditer(data[:200_000]):
        found = _HREF.search(tag.group(0))
        if found:
            return found.group(1).decode("utf-8", "replace").strip()
    return None


def outlet_for(config: Config, url: str) -> Outlet | None:
    for outlet in config.outlets.values():
        if outlet.is_allowed(url) and outlet.is_article_url(url):
            return outlet
    for outlet in config.outlets.values():
        if outlet.is_allowed(url):
            return outlet
    return None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The URL the page was fetched from (default: its canonical link).")
@click.option("--outlet", "outlet_id", metavar="ID",
              help="Apply this outlet's extraction rules (default: guessed from the URL).")
@config_option
def extract(files: tuple[str, ...], url: str | None, outlet_id: str | None,
            config_path: str | None, origins: tuple[str, ...]) -> None:
    """Extract articles from saved HTML pages; print JSON Lines on stdout.

    Each FILE gives one JSON object: the article fields (url, canonical_url, outlet, title,
    body, published, published_source, author, language, section, tags, image, caption), or
    {"file", "url", "error"} when the page is not an article. Exit status 1 if any failed.

    \b
    Examples:
        rasad extract page.html --url https://maseer.net/archives/12345
        rasad extract saved/*.html --outlet alqaed
    """
    from crawler.extract import extract_page

    config, _ = load(config_path, origins)
    failures = 0
    for name in files:
        data = Path(name).read_bytes()
        page = url or page_url(data) or Path(name).resolve().as_uri()
        outlet = config.select([outlet_id])[0] if outlet_id else outlet_for(config, page)
        article, reason, theme, drift = extract_page(
            data, page, rules=outlet.extract if outlet else None,
            outlet=outlet.id if outlet else "",
        )
        if article is None:
            failures += 1
            record = {"file": name, "url": page, "error": reason}
        else:
            record = {"file": name, **article.to_dict(), "theme": theme,
                      "drift": drift.describe() if drift else None}
        click.echo(json.dumps(record, ensure_ascii=False))
    if failures:
        sys.exit(1)
