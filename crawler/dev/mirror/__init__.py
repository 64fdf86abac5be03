"""Offline mirror of the three outlets rasad watches (see README.md in this directory).

    with Mirror() as m:                      # free ports on 127.0.0.1
        m.origins["maseer"]                  # "http://127.0.0.1:PORT"
        m.expected_articles("maseer")        # what a correct crawl stores
        m.truth(url)                         # title, body, published, caption, author, ...

`render_article` and `iter_pages` give the same pages without a server (golden tests, benches).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from .corpus import OUTLETS, article_from_dict
from .model import MirrorArticle
from .server import DEFAULT_PORTS, Mirror, build_site, serve_forever
from .site import Site

__all__ = ["Mirror", "MirrorArticle", "OUTLETS", "DEFAULT_ORIGINS", "Page", "iter_pages",
           "render_article", "serve_forever"]

DEFAULT_ORIGINS = {o: f"http://127.0.0.1:{p}" for o, p in DEFAULT_PORTS.items()}


class Page(NamedTuple):
    outlet: str
    url: str
    body: bytes
    headers: dict[str, str]
    truth: dict[str, Any]


@lru_cache(maxsize=16)
def _site(outlet: str, origin: str, scale: int = 0, today: date | None = None) -> Site:
    return build_site(outlet, origin, scale=scale, today=today)


def render_article(outlet_id: str, article: MirrorArticle | dict[str, Any] | str,
                   origin: str | None = None, *, today: date | None = None,
                   layout: str = "normal") -> tuple[bytes, dict[str, str]]:
    """Body bytes and response headers of one article page, as the mirror serves it.

    `article` is a MirrorArticle, a corpus record (dict, as in corpus/*.json) or a corpus key.
    """
    site = _site(outlet_id, (origin or DEFAULT_ORIGINS[outlet_id]).rstrip("/"), 0, today)
    if isinstance(article, str):
        found = next((a for a in site.articles if a.key == article), None)
        if found is None:
            raise KeyError(f"{outlet_id}: no corpus article {article!r}")
        article = found
    elif isinstance(article, dict):
        article = article_from_dict(outlet_id, article, "render_article: ")
    else:
        # An article of a running Mirror: render this site's copy so widgets match the server.
        article = next((a for a in site.articles if a.key == article.key), article)
    if not article.path:
        site.assign(article)
    with site.lock:
        saved, site.layout = site.layout, layout
        try:
            response = site.article_page(article)
        finally:
            site.layout = saved
    return response.body, dict(response.headers)


def iter_pages(origins: dict[str, str] | None = None, scale: int = 0,
               today: date | None = None, outlets: tuple[str, ...] = OUTLETS,
               layout: str = "normal") -> Iterator[Page]:
    """Every article page of every outlet: (outlet, url, body, headers, truth); `layout`
    "redesign" gives the alternate skin."""
    for outlet in outlets:
        origin = (origins or DEFAULT_ORIGINS)[outlet].rstrip("/")
        site = _site(outlet, origin, scale, today)
        for a in reversed(site.articles):
            with site.lock:
                saved, site.layout = site.layout, layout
                try:
                    response = site.article_page(a)
                finally:
                    site.layout = saved
            url = site.url(a)
            yield Page(outlet, url, response.body, dict(response.headers), a.truth(url))
