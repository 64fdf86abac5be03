"""Feeds and sitemaps as the outlets' software emits them.

WordPress core: RSS 2.0 at /feed/ (latest 10, dc:creator, content:encoded) and the wp-sitemap.xml
index (5.5+). Yoast: sitemap_index.xml with post-sitemap.xml, plus a Google News sitemap.
The citadel CMS: an Atom feed (advertised only by <link rel=alternate>) and monthly urlsets.
All are UTF-8 and declare no DTD (feeds are untrusted XML: nothing to expand).
"""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .model import MirrorArticle
from .themes.common import paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from .site import Site

FEED_SIZE = 10  # WordPress "Syndication feeds show the most recent 10 items"
XSL_WP = '<?xml-stylesheet type="text/xsl" href="{origin}{base}/wp-sitemap.xsl" ?>\n'


def x(text: str | None) -> str:
    return escape(text or "", {'"': "&quot;"})


def rss(site: Site, title: str, items: list[MirrorArticle], self_url: str, home: str,
        full_text: bool = True) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">',
        "<channel>",
        f"\t<title>{x(title)}</title>",
        f'\t<atom:link href="{x(self_url)}" rel="self" type="application/rss+xml" />',
        f"\t<link>{x(home)}</link>",
        f"\t<description>{x(title)}</description>",
        f"\t<lastBuildDate>{format_datetime(site.lists_modified())}</lastBuildDate>",
        "\t<language>ar</language>",
        "\t<sy:updatePeriod>hourly</sy:updatePeriod>",
        "\t<sy:updateFrequency>1</sy:updateFrequency>",
        "\t<generator>https://wordpress.org/?v=6.5.5</generator>",
    ]
    for a in items[:FEED_SIZE]:
        url = site.link(a)
        out += [
            "\t<item>",
            f"\t\t<title>{x(a.title)}</title>",
            f"\t\t<link>{x(url)}</link>",
            f"\t\t<comments>{x(url)}#respond</comments>",
            f"\t\t<dc:creator><![CDATA[{a.author or 'admin'}]]></dc:creator>",
            f"\t\t<pubDate>{format_datetime(a.published)}</pubDate>",
            f"\t\t<category><![CDATA[{a.section}]]></category>",
            f'\t\t<guid isPermaLink="false">{x(site.origin)}/?p={a.post_id}</guid>',
            f"\t\t<description><![CDATA[{a.excerpt(40)}]]></description>",
        ]
        if full_text:
            out.append(f"\t\t<content:encoded><![CDATA[{paragraphs(a, 'h3')}]]></content:encoded>")
        out += ["\t\t<slash:comments>0</slash:comments>", "\t</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(site: Site, title: str, items: list[MirrorArticle], self_url: str) -> str:
    updated = site.lists_modified().isoformat()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">',
        f"  <title>{x(title)}</title>",
        f'  <link rel="self" href="{x(self_url)}"/>',
        f'  <link rel="alternate" type="text/html" href="{x(site.home_url)}"/>',
        f"  <id>{x(site.home_url)}</id>",
        f"  <updated>{updated}</updated>",
    ]
    for a in items[:FEED_SIZE]:
        out += [
            "  <entry>",
            f"    <title>{x(a.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{x(site.link(a, slugged=True))}"/>',
            f"    <id>tag:centcomcitadel.com,{a.day.isoformat()}:{x(a.path)}</id>",
            f"    <published>{a.published.isoformat()}</published>",
            f"    <updated>{a.last_modified.isoformat()}</updated>",
            f'    <category term="{x(a.section)}"/>',
            f"    <summary>{x(a.excerpt(40))}</summary>",
            "  </entry>",
        ]
    out += ["</feed>", ""]
    return "\n".join(out)


def urlset(entries: list[tuple[str, datetime | None]], xsl: str = "") -> str:
    return _sitemap("urlset", "url", entries, xsl)


def sitemapindex(entries: list[tuple[str, datetime | None]], xsl: str = "") -> str:
    return _sitemap("sitemapindex", "sitemap", entries, xsl)


def _sitemap(root: str, item: str, entries: list[tuple[str, datetime | None]], xsl: str) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if xsl:
        out.append(xsl.rstrip("\n"))
    out.append(f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for loc, lastmod in entries:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        out.append(f"<{item}><loc>{x(loc)}</loc>{mod}</{item}>")
    out += [f"</{root}>", ""]
    return "\n".join(out)


def news_sitemap(site: Site, items: list[MirrorArticle], name: str) -> str:
    """Google News sitemap (Yoast News SEO): the latest items with news:publication_date."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
           'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">']
    for a in items:
        out.append(
            f"<url><loc>{x(site.url(a))}</loc><news:news><news:publication><news:name>{x(name)}"
            f"</news:name><news:language>{'ar' if a.language == 'ar' else 'en'}</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{x(a.title)}</news:title></news:news></url>")
    out += ["</urlset>", ""]
    return "\n".join(out)


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
