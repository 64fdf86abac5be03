"""rafid (imaginary): WordPress + Jannah with date permalinks `/%year%/%monthnum%/%day%/%postname%/`
and Arabic slugs, Rank Math sitemaps. Not in config/outlets.toml: no rules are written for it."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds
from .faults import fault_kind, fault_response
from .model import MirrorArticle
from .site import ABOUT, SITE_EPOCH, Response, Site, redirect, robots, slot_id
from .themes import jannah

_PUNCT = re.compile(r"[^\w\s-]")


def wp_slug(title: str, words: int = 7) -> str:
    """WordPress's sanitize_title for Arabic: punctuation gone, spaces → '-', kept as Unicode
    (the URL percent-encodes it in lower case)."""
    return "-".join(_PUNCT.sub("", title).split()[:words])


class RafidSite(Site):
    outlet_id = "rafid"
    theme = jannah
    page_size = 6
    sections = {name: slug for name, slug in (
        ("شؤون دولية", "international"), ("تقارير", "reports"), ("محليات", "local"),
        ("اقتصاد", "economy"), ("منوعات", "misc"))}
    ARTICLE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/?#]+)/?$")

    @property
    def home_url(self) -> str:  # type: ignore[override]
        return self.origin + "/"

    @property
    def feed_url(self) -> str:  # type: ignore[override]
        return self.origin + "/feed/"

    def new_section_slug(self, name: str) -> str:
        return f"section-{len(self.sections) + 1}"

    def assign(self, a: MirrorArticle) -> None:
        a.post_id = slot_id(self, a, 5000)
        slug = wp_slug(a.title)
        path = f"/{a.day:%Y/%m/%d}/{self._enc(slug)}/"
        if path in self.by_path:  # WordPress appends -2 to a slug taken that day
            path = f"/{a.day:%Y/%m/%d}/{self._enc(slug)}-2/"
        a.slug, a.path = slug, path

    def _enc(self, text: str) -> str:
        return quote(text, safe="-").lower()

    def canonical_path(self, path: str) -> str:
        parts = urlsplit(path)
        if self.ARTICLE.match(parts.path):
            return quote(unquote(parts.path), safe="/-").lower().rstrip("/") + "/"
        return path

    def section_url(self, name: str, page: int = 1) -> str:
        slug = self.sections.get(name) or self.new_section_slug(name)
        return f"{self.origin}/category/{slug}/" + (f"page/{page}/" if page > 1 else "")

    def tag_url(self, tag: str) -> str:
        return f"{self.origin}/tag/{self._enc(tag.replace(' ', '-'))}/"

    def author_url(self, author: str | None) -> str:
        return f"{self.origin}/author/{'editor' if not author else 'writer' + str(len(author))}/"

    def page_url(self, key: str) -> str:
        return f"{self.origin}/{self._enc(ABOUT[key][0].replace(' ', '-'))}/"

    def route(self, path_qs: str) -> Response:
        parts = urlsplit(path_qs)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            return robots(self, "User-agent: *\nDisallow: /wp-admin/\n"
                                "Allow: /wp-admin/admin-ajax.php\n\n"
                                f"Sitemap: {self.origin}/sitemap_index.xml\n")
        if path == "/" and "s" in query:
            return self.listing(f"نتائج البحث عن: {query['s'][0]}", [], 1, lambda n: self.home_url)
        if path == "/" and query.get("p", [""])[0].isdigit():
            a = next((x for x in self.articles if str(x.post_id) == query["p"][0]), None)
            return redirect(self, self.url(a)) if a else self.not_found()
        if path == "/":
            return self.html(self.theme.home(self))
        if self.faults and (kind := fault_kind(self.outlet_id, path)):
            return fault_response(self, kind)
        if self.ARTICLE.match(path):
            a = self.by_path.get(self.canonical_path(path))
            if a and not path.endswith("/"):
                return redirect(self, self.url(a))
            return self.article_page(a) if a else self.not_found()
        if path == "/feed/":
            return self.text(feeds.rss(self, jannah.SITE_NAME, self.articles, self.feed_url,
                                       self.home_url), "application/rss+xml; charset=UTF-8")
        if path.endswith(".xml"):
            return self._sitemap(path)
        if m := re.fullmatch(r"/(category|tag|author)/([^/]+)/(?:page/(\d+)/)?", path):
            kind, slug, page = m.group(1), unquote(m.group(2)), int(m.group(3) or 1)
            if kind == "category":
                name = next((n for n, s in self.sections.items() if s == slug), None)
                if name is None:
                    return self.not_found()
                items, title = self.section_items(name), name
            elif kind == "tag":
                items = [a for a in self.articles if slug in (t.replace(" ", "-") for t in a.tags)]
                title = slug
            else:
                items = [a for a in self.articles if self.author_url(a.author).endswith(
                    f"/{slug}/")]
                title = "أرشيف الكاتب"
            base = f"{self.origin}/{kind}/{m.group(2)}/"
            return self.listing(title, items, page,
                                lambda n, base=base: base + (f"page/{n}/" if n > 1 else ""),
                                extra=kind == "category")
        for key, (title, text) in ABOUT.items():
            if key != "comment-policy" and unquote(path) == f"/{title.replace(' ', '-')}/":
                return self.static(title, text, self.page_url(key))
        return self.not_found()

    def _sitemap(self, path: str) -> Response:
        xml = "application/xml; charset=UTF-8"
        if path == "/sitemap_index.xml":
            entries = [(f"{self.origin}/post-sitemap.xml", self.lists_modified()),
                       (f"{self.origin}/page-sitemap.xml", SITE_EPOCH),
                       (f"{self.origin}/category-sitemap.xml", self.lists_modified())]
            return self.text(feeds.sitemapindex(entries), xml)
        if path == "/post-sitemap.xml":
            return self.text(feeds.urlset([(self.url(a), a.last_modified)
                                           for a in self.articles]), xml)
        if path == "/page-sitemap.xml":
            return self.text(feeds.urlset([(self.page_url(k), None) for k in ("about", "contact")]),
                             xml, SITE_EPOCH)
        if path == "/category-sitemap.xml":
            return self.text(feeds.urlset([(u, None) for _, u in self.menu()]), xml)
        return self.not_found()
