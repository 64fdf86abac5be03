"""Discovery from the home page alone: a new outlet needs little more than its home URL, and a
moved feed does not blind us (robots.txt Sitemap lines, <link rel=alternate> feeds, the
sections the home page links to)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.config.outlets import load_config
from crawler.links.discovery import (
    feed_entries,
    head_feeds,
    page_number,
    sitemap_entries,
    sniff_xml,
)
from crawler.links.urls import canonical
from tests.conftest import MIRROR_CONFIG, rasad

pytestmark = pytest.mark.e2e  # real crawls, subprocesses or a browser: `make test`

REAL = load_config(MIRROR_CONFIG)


def home_only_config(tmp_path: Path) -> Path:
    """Each outlet reduced to name, home, article pattern and extraction theme."""
    lines = []
    for outlet in REAL.outlets.values():
        lines += [f"[outlets.{outlet.id}]", f'name = "{outlet.id}"', f'home = "{outlet.home}"',
                  "article_url = [" + ", ".join(f"'{p}'" for p in outlet.article_url) + "]",
                  f'extract = {{ theme = "{outlet.extract.theme or "generic"}" }}',
                  "politeness = { delay = 0.0, concurrency = 8 }", ""]
        for rule in outlet.url_rules:
            lines.insert(-1, f"url_rules = [{{ pattern = '{rule.pattern}', "
                             f"replace = '{rule.replace}' }}]")
    path = tmp_path / "home-only.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_home_page_alone_finds_every_article(mirror: object, tmp_path: Path) -> None:
    config_path = home_only_config(tmp_path)
    origins = [a for o, u in mirror.origins.items() for a in ("--origin", f"{o}={u}")]
    db = tmp_path / "home.db"
    mirror.reset_log()
    rasad("crawl", "--config", str(config_path), *origins, "--db", str(db))
    config = load_config(config_path, mirror.origins)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT outlet, canonical_url FROM articles").fetchall()
    for outlet_id, outlet in config.outlets.items():
        expected = {canonical(u, outlet.url_rules) for u in mirror.expected_articles(outlet_id)}
        got = {url for o, url in rows if o == outlet_id}
        assert got == expected, outlet_id
    paths = {(r["outlet"], r["path"]) for r in mirror.requests}
    for outlet_id in config.outlets:
        assert (outlet_id, "/robots.txt") in paths


def test_parsers_on_untrusted_xml() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><urlset '
            b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;</loc></url>'
            b"</urlset>")
    kind, entries = sitemap_entries(bomb)
    assert all("aaaa" not in e.url for e in entries)
    assert sitemap_entries(b"\x89PNG junk") == ("", [])
    assert feed_entries(b"<html><body>not a feed</body></html>", "http://x/") == []
    assert sniff_xml(b"<!doctype html><html>") is None


def test_news_sitemap_date_and_atom_links() -> None:
    news = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
            b"<loc>https://a.example/ar/?p=7</loc><news:news><news:publication_date>"
            b"2025-07-26T09:00:00+05:00</news:publication_date></news:news></url></urlset>")
    assert sitemap_entries(news)[1][0].lastmod == "2025-07-26T09:00:00+05:00"
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
            b'href="/ar/x/1"/><link rel="edit" href="/edit/1"/></entry></feed>')
    assert [e.url for e in feed_entries(atom, "https://a.example/")] == [
        "https://a.example/ar/x/1"]


@pytest.mark.parametrize(("url", "number"), [
    ("https://m.example/archives/category/x/page/3/", 3),
    ("https://a.example/ar/?cat=4&paged=2", 2),
    ("https://c.example/ar/sections/x?page=5", 5),
    ("https://c.example/ar/sections/x", 1),
])
def test_page_number(url: str, number: int) -> None:
    assert page_number(url) == number


def test_head_feeds_skip_comment_feeds() -> None:
    links = [("alternate", "application/rss+xml", "https://m.example/feed/"),
             ("alternate", "application/rss+xml", "https://m.example/comments/feed/"),
             ("alternate", "application/atom+xml", "https://c.example/ar/atom.xml"),
             ("stylesheet", "text/css", "https://m.example/style.css")]
    assert head_feeds(iter(links)) == ["https://m.example/feed/", "https://c.example/ar/atom.xml"]


def test_paging_goes_past_articles_the_feed_already_scheduled(mirror: object,
                                                                tmp_path: Path) -> None:
    """No sitemap, no discovery: older articles are only reachable by paging through listings
    whose first pages hold the same articles as the feed. Paging must not stop there."""
    maseer = REAL.outlets["maseer"]
    path = tmp_path / "feed-and-listings.toml"
    path.write_text("\n".join([
        "[outlets.maseer]", 'name = "maseer"', f'home = "{maseer.home}"',
        "article_url = [" + ", ".join(f"'{p}'" for p in maseer.article_url) + "]",
        f'feeds = ["{maseer.feeds[0]}"]',
        "listing_url = [" + ", ".join(f"'{p}'" for p in maseer.listing_url) + "]",
        "max_listing_pages = 50", "discover = false", 'extract = { theme = "jnews" }',
        "politeness = { delay = 0.0, concurrency = 8 }", ""]), encoding="utf-8")
    db = tmp_path / "paging.db"
    rasad("crawl", "--config", str(path), "--origin", f"maseer={mirror.origins['maseer']}",
          "--db", str(db))
    with sqlite3.connect(db) as conn:
        got = {u for (u,) in conn.execute("SELECT canonical_url FROM articles")}
    assert got == {canonical(u) for u in mirror.expected_articles("maseer")}
