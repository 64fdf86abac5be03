"""Markup shared by the three theme modules: escaping, <head> metadata, body paragraphs."""
from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING

from ..dates import visible
from ..model import SUBHEAD, MirrorArticle

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site


def esc(text: str | None) -> str:
    return escape(text or "", quote=True)


def date_text(a: MirrorArticle, default_style: str) -> str:
    """The visible date string of an article page: a style name or literal text from the corpus."""
    style = a.dates.get("visible") or default_style
    try:
        return visible(a.day, style)
    except ValueError:
        return str(style)  # literal text given by the corpus


def charset_meta(a: MirrorArticle | None, form: str = "http-equiv") -> str:
    """The in-document charset declaration. Encoding variants drop it (the declaration is then in
    the HTTP header or nowhere) or keep a wrong "utf-8" one over windows-1256 bytes."""
    encoding = a.encoding if a else None
    if encoding in ("cp1256-header", "cp1256-undeclared", "cp1256-wrong-header"):
        return ""
    if form == "charset":
        return '<meta charset="UTF-8" />\n'
    return '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'


def article_meta(site: Site, a: MirrorArticle, site_name: str, image: str) -> str:
    """Open Graph + article:* metas as Yoast prints them; article:published_time only when the
    corpus says this page carries it."""
    url = site.url(a)
    lines = [
        f'<link rel="canonical" href="{esc(url)}" />',
        '<meta property="og:locale" content="ar_AR" />',
        '<meta property="og:type" content="article" />',
        f'<meta property="og:title" content="{esc(a.title)}" />',
        f'<meta property="og:description" content="{esc(a.excerpt(30))}" />',
        f'<meta property="og:url" content="{esc(url)}" />',
        f'<meta property="og:site_name" content="{esc(site_name)}" />',
    ]
    if a.dates.get("meta"):
        lines.append(f'<meta property="article:published_time" '
                     f'content="{a.published.isoformat()}" />')
        lines.append(f'<meta property="article:modified_time" '
                     f'content="{a.last_modified.isoformat()}" />')
    lines.append(f'<meta property="og:image" content="{esc(image)}" />')
    lines.append('<meta name="twitter:card" content="summary_large_image" />')
    if a.author:
        lines.append(f'<meta name="author" content="{esc(a.author)}" />')
    return "\n".join(lines) + "\n"


def json_ld(site: Site, a: MirrorArticle, site_name: str, image: str) -> str:
    """Yoast-style @graph with a NewsArticle; emitted only when the corpus says so."""
    if not a.dates.get("jsonld"):
        return ""
    url = site.url(a)
    graph = [
        {
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "author": {"name": a.author or site_name, "@id": f"{site.origin}/#/schema/person/1"},
            "headline": a.title,
            "datePublished": a.published.isoformat(),
            "dateModified": a.last_modified.isoformat(),
            "mainEntityOfPage": {"@id": url},
            "publisher": {"@id": f"{site.origin}/#organization"},
            "image": {"@id": f"{url}#primaryimage"},
            "articleSection": [a.section],
            "inLanguage": "ar" if a.language == "ar" else "en-US",
        },
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{a.title} - {site_name}",
         "datePublished": a.published.isoformat(), "inLanguage": "ar"},
        {"@type": "ImageObject", "@id": f"{url}#primaryimage", "url": image},
        {"@type": "Organization", "@id": f"{site.origin}/#organization", "name": site_name,
         "url": site.home_url},
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    data = data.replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>\n'


def paragraphs(a: MirrorArticle, subhead_tag: str = "h3") -> str:
    out = []
    for p in a.body:
        if p.startswith(SUBHEAD):
            out.append(f"<{subhead_tag}>{esc(p.removeprefix(SUBHEAD))}</{subhead_tag}>")
        else:
            out.append(f"<p>{esc(p)}</p>")
    return "\n".join(out)


def broken_body(a: MirrorArticle, container: str) -> str:
    """After the simulated redesign the body container is renamed and empty: the text now only
    reaches the browser as JSON for a client-side renderer, so extraction finds nothing."""
    payload = json.dumps({"props": {"post": {"id": a.post_id, "blocks": len(a.body)}}})
    return (f'<div class="{container}" data-hydrate="post-body"></div>\n'
            f'<script id="__NEXT_DATA__" type="application/json">{payload}</script>')


def image_url(site: Site, a: MirrorArticle, base: str) -> str:
    return f"{site.origin}{base}/{a.day:%Y/%m}/{a.key[:40]}.jpg"


def reading_minutes(a: MirrorArticle) -> int:
    words = sum(len(p.split()) for p in a.body)
    return max(1, round(words / 200))
