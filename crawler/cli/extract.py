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


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("--url", help="The URL a saved page was fetched from (default: its canonical link).")
@click.option("--outlet", "outlet_id", metavar="ID",
              help="Apply this outlet's extraction rules (default: guessed from the URL).")
@config_option
def extract(sources: tuple[str, ...], url: str | None, outlet_id: str | None,
            config_path: str | None, origins: tuple[str, ...]) -> None:
    """Extract articles from saved HTML pages or from URLs; print JSON Lines on stdout.

    A URL (http:// or https://) is fetched first, as the crawler would: with rasad's
    User-Agent (RASAD_USER_AGENT), only if the site's robots.txt allows it, following at most
    5 redirects, within 30 s and 10 MiB. Each source gives one JSON object: the article fields
    (url, canonical_url, outlet, title, body, published, published_source, author, language,
    section, tags, image, caption), or {"file", "url", "error"} when the page is not an article
    or could not be fetched. Exit status 1 if any failed.

    \b
    Examples:
        rasad extract https://maseer.net/archives/12345
        rasad extract page.html --url https://maseer.net/archives/12345
        rasad extract saved/*.html --outlet alqaed
    """
    from crawler.extract import extract_page
    from crawler.links.fetch import FetchError, fetch_page
    from crawler.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT

    for name in sources:
        if not _is_url(name) and not Path(name).is_file():
            raise click.BadParameter(f"{name!r} is neither a file nor an http(s) URL",
                                     param_hint="FILE_OR_URL")
    config, _ = load(config_path, origins)
    failures = 0
    for name in sources:
        headers = None
        if _is_url(name):
            try:
                fetched = fetch_page(name, USER_AGENT, DOWNLOAD_TIMEOUT, DOWNLOAD_MAXSIZE)
            except FetchError as exc:
                failures += 1
                click.echo(json.dumps({"file": name, "url": name, "error": str(exc)},
                                      ensure_ascii=False))
                continue
            data, page, headers = fetched.body, fetched.url, fetched.headers
        else:
            data = Path(name).read_bytes()
            page = url or page_url(data) or Path(name).resolve().as_uri()
        outlet = config.select([outlet_id])[0] if outlet_id else outlet_for(config, page)
        article, reason, theme, drift, _ = extract_page(
            data, page, headers, rules=outlet.extract if outlet else None,
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
