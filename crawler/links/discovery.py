"""Pure parsers for the places article URLs come from: robots.txt, feeds, sitemaps, HTML heads.
Feeds and sitemaps are untrusted XML: parsed without entity expansion or network access."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.sitemap import sitemap_urls_from_robots

_XML_PARSER = dict(resolve_entities=False, no_network=True, recover=True, huge_tree=False)

# Child sitemaps of WordPress core, Yoast and Rank Math that list taxonomy, author or static
# pages rather than posts: skipping them saves requests and never loses an article.
NON_POST_SITEMAP = re.compile(
    r"(taxonom|categor|[-_/]tags?[-_.]|users?[-_.]|author|page-sitemap|posts-page|"
    r"attachment|product|local-sitemap)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: str | None = None


def sniff_xml(body: bytes) -> str | None:
    """'rss', 'atom', 'urlset', 'sitemapindex' or None for a body that is none of these."""
    head = body[:2048].lstrip()
    if not head.startswith(b"<"):
        return None
    match = re.search(rb"<(?:[A-Za-z0-9_-]+:)?(rss|feed|urlset|sitemapindex|RDF)[\s>]", head)
    if not match:
        return None
    root = match.group(1).decode()
    return {"feed": "atom", "RDF": "rss"}.get(root, root)


def sitemap_entries(body: bytes) -> tuple[str, list[Entry]]:
    """(type, entries) of a sitemap index or urlset; a news sitemap's news:publication_date
    stands in for a missing lastmod."""
    try:
        root = etree.fromstring(body, etree.XMLParser(**_XML_PARSER))
    except etree.XMLSyntaxError:
        return "", []
    if root is None or not isinstance(root.tag, str):
        return "", []
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return "", []
    entries = []
    for node in root:
        loc = lastmod = news_date = None
        for child in node.iter():
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            text = (child.text or "").strip() or None
            if name == "loc" and loc is None:
                loc = text
            elif name == "lastmod":
                lastmod = text
            elif name == "publication_date":
                news_date = text
        if loc:
            entries.append(Entry(loc, lastmod or news_date))
    return kind, entries


def feed_entries(body: bytes, base_url: str) -> list[Entry]:
    """Item links of an RSS 1/2 or Atom feed."""
    try:
        root = etree.fromstring(body, etree.XMLParser(**_XML_PARSER))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for node in root.iter():
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag not in ("item", "entry"):
            continue
        link, date = None, None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href
                elif (child.text or "").strip() and link is None:
                    link = child.text.strip()
            elif name == "updated" or (name in ("pubDate", "published", "date") and date is None):
                # Atom's <updated> wins over <published>: it tells when the entry last changed
                date = (child.text or "").strip() or date
            elif name == "guid" and link is None and child.get("isPermaLink") != "false":
                link = (child.text or "").strip() or None
        if link:
            entries.append(Entry(urljoin(base_url, link), date))
    return entries


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    return list(sitemap_urls_from_robots(body, base_url=base_url))


def head_feeds(links: Iterator[tuple[str, str, str]]) -> list[str]:
    """From (rel, type, href) of <link> elements: the advertised RSS/Atom feeds."""
    return [
        href for rel, kind, href in links
        if "alternate" in rel.lower().split() and re.search(r"(rss|atom)\+xml", kind, re.I)
        and not re.search(r"/comments/feed|comments-rss", href)
    ]


_PAGE_NO = re.compile(r"(?:/page/|[?&]paged?=)(\d+)")


def page_number(url: str) -> int:
    """The page number a pagination URL points at (1 when it names none)."""
    match = _PAGE_NO.search(url)
    return int(match.group(1)) if match else 1
