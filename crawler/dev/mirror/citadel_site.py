"""centcomcitadel.com/ar: the own CMS (article URLs carry the date and an optional slug)."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds
from .faults import fault_kind, fault_response
from .model import MirrorArticle
from .site import ABOUT, SITE_EPOCH, Response, Site, page_arg, robots
from .themes import citadel


class CitadelSite(Site):
    outlet_id = "centcomcitadel"
    theme = citadel
    page_size = 8
    api_root = ""  # not WordPress
    sections = {"التحالفات": "alliances", "الأمن": "security", "مكافحة الإرهاب": "counterterrorism",
                "قضايا إقليمية": "regional", "آراء": "opinion"}
    ARTICLE = re.compile(r"^(/ar/articles/ssc/features/(\d{4})/(\d{2})/(\d{2})/feature-(\d+))"
                         r"(?:/([^/?#]*))?/?$")

    @property
    def home_url(self) -> str:  # type: ignore[override]
        return self.origin + "/ar"

    @property
    def feed_url(self) -> str:  # type: ignore[override]
        return self.origin + "/ar/feeds/atom.xml"

    def id_key(self, a: MirrorArticle) -> tuple[date, int]:
        return (a.day, a.post_id)

    def assign(self, a: MirrorArticle) -> None:
        n = 1
        while (a.day, n) in self._used_ids:
            n += 1
        a.post_id = n
        a.path = f"/ar/articles/ssc/features/{a.day:%Y/%m/%d}/feature-{n:02d}"
        words = re.sub(r"[^\w\s-]", " ", a.title).split()
        a.slug = "-".join(words[:8])

    def canonical_path(self, path: str) -> str:
        m = self.ARTICLE.match(path)
        return m.group(1) if m else path

    def link(self, a: MirrorArticle, slugged: bool = False) -> str:
        if slugged and a.slug:
            return f"{self.origin}{a.path}/{quote(a.slug)}"
        return self.url(a)

    def new_section_slug(self, name: str) -> str:
        return f"section-{len(self.sections) + 1}"

    def section_url(self, name: str, page: int = 1) -> str:
        slug = self.sections.get(name) or self.new_section_slug(name)
        return f"{self.origin}/ar/sections/{slug}" + (f"?page={page}" if page > 1 else "")

    def all_url(self, page: int = 1) -> str:
        return f"{self.origin}/ar/articles/ssc/features" + (f"?page={page}" if page > 1 else "")

    def tag_url(self, tag: str) -> str:
        return f"{self.origin}/ar/tags/{quote(tag)}"

    def author_url(self, author: str | None) -> str:
        return f"{self.origin}/ar/authors/{quote(author or 'staff')}"

    def page_url(self, key: str) -> str:
        return f"{self.origin}/ar/{key}"

    def pages(self) -> list[tuple[str, str]]:
        return [*super().pages(), ("سياسة التعليقات", self.page_url("comment-policy"))]

    def months(self) -> dict[str, list[MirrorArticle]]:
        out: dict[str, list[MirrorArticle]] = {}
        for a in self.articles:
            out.setdefault(f"{a.day:%Y-%m}", []).append(a)
        return out

    def route(self, path_qs: str) -> Response:
        parts = urlsplit(path_qs)
        path, query = unquote(parts.path), parse_qs(parts.query)
        page = page_arg(query, "page")
        if path == "/robots.txt":
            return robots(self, "User-agent: *\nDisallow: /ar/search\nDisallow: /ar/comments\n"
                                "Disallow: /ar/captcha.png\n\n"
                                f"Sitemap: {self.origin}/ar/sitemap.xml\n")
        if path in ("/ar", "/ar/"):
            return self.html(self.theme.home(self))
        if self.faults and (kind := fault_kind(self.outlet_id, parts.path)):
            return fault_response(self, kind)
        if m := self.ARTICLE.match(path):
            a = self.by_path.get(m.group(1))
            return self.article_page(a) if a else self.not_found()
        if path == "/ar/feeds/atom.xml":
            return self.text(feeds.atom(self, citadel.SITE_NAME, self.articles, self.feed_url),
                             "application/atom+xml; charset=utf-8")
        if path == "/ar/sitemap.xml":
            entries = [(f"{self.origin}/ar/sitemaps/features-{m}.xml",
                        max(a.last_modified for a in items)) for m, items in self.months().items()]
            return self.text(feeds.sitemapindex(entries), "application/xml; charset=utf-8")
        if m := re.fullmatch(r"/ar/sitemaps/features-(\d{4}-\d{2})\.xml", path):
            items = self.months().get(m.group(1))
            if not items:
                return self.not_found()
            return self.text(feeds.urlset([(self.url(a), a.last_modified) for a in items]),
                             "application/xml; charset=utf-8")
        if page is None:
            return self.not_found()
        if path.rstrip("/") == "/ar/articles/ssc/features":
            return self.listing("كل المقالات", self.articles, page, self.all_url, extra=True)
        if m := re.fullmatch(r"/ar/sections/([\w-]+)/?", path):
            name = next((n for n, s in self.sections.items() if s == m.group(1)), None)
            if name is None:
                return self.not_found()
            return self.listing(name, self.section_items(name), page,
                                lambda n, name=name: self.section_url(name, n), extra=True)
        if m := re.fullmatch(r"/ar/tags/([^/]+)/?", path):
            tag = m.group(1)
            items = [a for a in self.articles if tag in a.tags]
            return self.listing(f"وسم: {tag}", items, page, lambda n, tag=tag:
                                self.tag_url(tag) + (f"?page={n}" if n > 1 else ""))
        if path.rstrip("/") in ("/en", "/ru"):
            # The other language editions exist on the real site; they are not watched.
            lang = path.strip("/")
            page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>'
                    f'Al-Qalaa ({lang})</title></head><body><h1>Al-Qalaa</h1></body></html>')
            return self.finish(200, page.encode(), "text/html; charset=UTF-8", SITE_EPOCH)
        if path.startswith("/ar/") and path[4:] in ABOUT:
            title, text = ABOUT[path[4:]]
            return self.static(title, text, self.page_url(path[4:]))
        return self.not_found()
