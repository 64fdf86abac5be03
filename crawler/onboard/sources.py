"""Where a site lists its articles: feeds and sitemaps, found the way a reader or a search engine
finds them (robots.txt `Sitemap:` lines, `<link rel=alternate>` in the head, "RSS" links in the
page, then the paths CMSes use by default), each one fetched and sniffed, never trusted by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.links import discovery
from crawler.onboard.fetch import Fetched, PoliteClient

# Default feed and sitemap paths of WordPress, Yoast/Rank Math, Drupal, Joomla, Ghost, Blogger
# and static generators; tried relative to the home page's directory and to the root.
FEED_PATHS = ("feed/", "rss", "rss.xml", "feed.xml", "atom.xml", "index.xml", "feeds/posts/default",
              "rss/", "?format=feed&type=rss")
SITEMAP_PATHS = ("sitemap.xml", "sitemap_index.xml", "wp-sitemap.xml", "sitemap-index.xml",
                 "news-sitemap.xml", "sitemap-news.xml")
# An <a> that leads to a feed says so in its URL or its text.
_FEEDISH = re.compile(r"(rss|atom|feed|xml|خلاصة|آر\s*إس\s*إس)", re.I)
MAX_CHILD_SITEMAPS = 4  # newest-first child sitemaps read while probing (enough for a pattern)


@dataclass
class Entry:
    url: str
    date: str | None
    source: str  # "feed" or "sitemap"


@dataclass
class Source:
    url: str
    kind: str  # rss, atom, urlset, sitemapindex
    found_by: str  # robots, head, link, guess, config
    entries: int = 0


@dataclass
class Sources:
    feeds: list[Source] = field(default_factory=list)
    sitemaps: list[Source] = field(default_factory=list)  # top-level ones (what the config lists)
    entries: list[Entry] = field(default_factory=list)


def page_feed_links(root: etree._Element | None, base: str) -> tuple[list[str], list[str]]:
    """(feeds advertised in <head>, <a> links that look like feeds) of a parsed page."""
    if root is None:
        return [], []
    head = ((el.get("rel", ""), el.get("type", ""), urljoin(base, el.get("href", "")))
            for el in root.iter("link") if el.get("href"))
    advertised = discovery.head_feeds(head)
    linked = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        text = " ".join(a.itertext()).strip()
        if href and (_FEEDISH.search(href.rsplit("/", 1)[-1] or href) or
                     (_FEEDISH.search(text) and len(text) < 40)):
            if not re.search(r"comments?[-/]?(feed|rss)", href):
                linked.append(urljoin(base, href))
    return advertised, list(dict.fromkeys(linked))


def _bases(home: str) -> list[str]:
    parts = urlsplit(home)
    root = f"{parts.scheme}://{parts.netloc}/"
    directory = urljoin(home, ".") if not home.endswith("/") else home
    if not home.endswith("/") and parts.path not in ("", "/"):
        directory = home + "/"  # "/ar" is the /ar/ section, not a file in /
    return list(dict.fromkeys([directory, root]))


def find_sources(client: PoliteClient, home: str, robots_sitemaps: list[str],
                 root: etree._Element | None) -> Sources:
    """Every feed and sitemap the site offers, with their entries (articles' URLs and dates)."""
    found = Sources()
    advertised, linked = page_feed_links(root, home)
    candidates: list[tuple[str, str]] = [(u, "robots") for u in robots_sitemaps]
    candidates += [(u, "head") for u in advertised] + [(u, "link") for u in linked[:6]]
    seen: set[str] = set()

    def take(url: str, how: str) -> bool:
        if url in seen:
            return False
        seen.add(url)
        fetched = client.get(url)
        return _read(client, fetched, how, found)

    for url, how in candidates:
        take(url, how)
    if not found.feeds:
        for base in _bases(home):
            if any(take(urljoin(base, p), "guess") for p in FEED_PATHS):
                break
    if not found.sitemaps:
        for base in _bases(home):
            if any(take(urljoin(base, p), "guess") for p in SITEMAP_PATHS):
                break
    return found


def _read(client: PoliteClient, fetched: Fetched, how: str, found: Sources) -> bool:
    if not fetched.ok:
        return False
    body = fetched.body
    kind = discovery.sniff_xml(body)
    if kind in ("rss", "atom"):
        entries = discovery.feed_entries(body, fetched.url)
        if not entries:
            return False
        found.feeds.append(Source(fetched.url, kind, how, len(entries)))
        found.entries += [Entry(e.url, e.lastmod, "feed") for e in entries]
        return True
    if kind in ("urlset", "sitemapindex"):
        count = _read_sitemap(client, fetched, found)
        if count:
            found.sitemaps.append(Source(fetched.url, kind, how, count))
        return bool(count)
    return False


def _read_sitemap(client: PoliteClient, fetched: Fetched, found: Sources, depth: int = 0) -> int:
    kind, entries = discovery.sitemap_entries(fetched.body)
    if kind == "urlset":
        found.entries += [Entry(e.url, e.lastmod, "sitemap") for e in entries]
        return len(entries)
    if kind != "sitemapindex" or depth > 1:
        return 0
    children = [e for e in entries if not discovery.NON_POST_SITEMAP.search(urlsplit(e.url).path)]
    # Newest first: an index lists monthly or numbered children; the latest show today's shape.
    children.sort(key=lambda e: (e.lastmod or "", e.url), reverse=True)
    total = 0
    for child in children[:MAX_CHILD_SITEMAPS]:
        sub = client.get(child.url)
        if sub.ok:
            total += _read_sitemap(client, sub, found, depth + 1)
    return total
