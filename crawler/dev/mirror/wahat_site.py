"""wahat (imaginary): a home-grown news CMS. Articles at `/<section>/<id>-<arabic slug>`, the date
only in JSON-LD, no sitemap, RSS only at /services/syndication/akhbar.xml (linked from the
footer), listings paginated with `?pg=N`. Not in config/outlets.toml: no rules are written for it.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds
from .faults import fault_kind, fault_response
from .model import MirrorArticle
from .rafid_site import wp_slug
from .site import ABOUT, Response, Site, page_arg, robots
from .themes import newsroom

_SLUGS = {"سياسة": "politics", "دفاع وأمن": "defence", "مجتمع": "society", "اقتصاد": "economy",
          "رياضة": "sports", "ثقافة": "culture"}


class WahatSite(Site):
    outlet_id = "wahat"
    theme = newsroom
    page_size = 5
    sections = dict(_SLUGS)
    api_root = ""  # not WordPress: no REST API link header
    ARTICLE = re.compile(r"^/([a-z]+)/(\d+)-([^/?#]+)$")

    @property
    def home_url(self) -> str:  # type: ignore[override]
        return self.origin + "/"

    @property
    def feed_url(self) -> str:  # type: ignore[override]
        return self.origin + newsroom.FEED_PATH

    def new_section_slug(self, name: str) -> str:
        return f"section{len(self.sections) + 1}"

    def assign(self, a: MirrorArticle) -> None:
        a.post_id = 70000 + (a.day.toordinal() % 10000) * 10 + len(self._used_ids) % 10
        while a.post_id in self._used_ids:
            a.post_id += 1
        slug = self.sections.get(a.section) or self.new_section_slug(a.section)
        a.slug = wp_slug(a.title, 6)
        a.path = f"/{slug}/{a.post_id}-{quote(a.slug, safe='-')}"

    def canonical_path(self, path: str) -> str:
        m = self.ARTICLE.match(urlsplit(path).path)
        if not m:
            return path
        # The id decides: a mangled or shortened slug still reaches the article.
        return next((a.path for a in self.articles if a.post_id == int(m.group(2))), path)

    def section_url(self, name: str, page: int = 1) -> str:
        slug = self.sections.get(name) or self.new_section_slug(name)
        return f"{self.origin}/section/{slug}" + (f"?pg={page}" if page > 1 else "")

    def all_url(self, page: int = 1) -> str:
        return f"{self.origin}/latest" + (f"?pg={page}" if page > 1 else "")

    def tag_url(self, tag: str) -> str:
        return f"{self.origin}/tags/{quote(tag.replace(' ', '-'))}"

    def author_url(self, author: str | None) -> str:
        return f"{self.origin}/authors/{len(author or '') % 7}"

    def page_url(self, key: str) -> str:
        return f"{self.origin}/page/{ {'about': 'about-us'}.get(key, key) }"

    def route(self, path_qs: str) -> Response:
        parts = urlsplit(path_qs)
        path, query = parts.path, parse_qs(parts.query)
        page = page_arg(query, "pg")
        if path == "/robots.txt":
            return robots(self, "User-agent: *\nDisallow: /search\nDisallow: /newsletter\n"
                                "Disallow: /admin/\n")
        if path == "/":
            return self.html(self.theme.home(self))
        if path == newsroom.FEED_PATH:
            return self.text(feeds.rss(self, newsroom.SITE_NAME, self.articles, self.feed_url,
                                       self.home_url, full_text=False),
                             "application/rss+xml; charset=utf-8")
        if self.faults and (kind := fault_kind(self.outlet_id, path)):
            return fault_response(self, kind)
        if self.ARTICLE.match(path):
            a = self.by_path.get(self.canonical_path(path))
            return self.article_page(a) if a else self.not_found()
        if page is None:
            return self.not_found()
        if path == "/latest":
            return self.listing("آخر الأخبار", self.articles, page, self.all_url, extra=True)
        if m := re.fullmatch(r"/section/([a-z0-9]+)", path):
            name = next((n for n, s in self.sections.items() if s == m.group(1)), None)
            if name is None:
                return self.not_found()
            return self.listing(name, self.section_items(name), page,
                                lambda n, name=name: self.section_url(name, n), extra=True)
        if m := re.fullmatch(r"/tags/([^/]+)", path):
            tag = unquote(m.group(1))
            items = [a for a in self.articles if tag in (t.replace(" ", "-") for t in a.tags)]
            base = self.tag_url(tag)
            return self.listing(tag, items, page,
                                lambda n, base=base: base + (f"?pg={n}" if n > 1 else ""))
        for key, (title, text) in ABOUT.items():
            if key != "comment-policy" and path == urlsplit(self.page_url(key)).path:
                return self.static(title, text, self.page_url(key))
        return self.not_found()
