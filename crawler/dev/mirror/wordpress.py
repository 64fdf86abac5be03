"""maseer.net (WordPress + JNews, /archives/%post_id%) and alqaed.pk/ar (WordPress + tagDiv
Newspaper, plain permalinks): the URL shapes WordPress core and Yoast produce."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds
from .faults import fault_kind, fault_response
from .model import MirrorArticle
from .site import ABOUT, SITE_EPOCH, Response, Site, redirect, robots, slot_id
from .themes import jnews, tagdiv


class MaseerSite(Site):
    outlet_id = "maseer"
    theme = jnews
    page_size = 5
    sections = {name: name.replace(" ", "-") for name in (
        "أخبار", "متابعات", "تحقيقات وتقارير", "مقالات", "حوارات", "أبحاث ودراسات", "أدب وثقافة")}

    @property
    def home_url(self) -> str:  # type: ignore[override]
        return self.origin + "/"

    @property
    def feed_url(self) -> str:  # type: ignore[override]
        return self.origin + "/feed/"

    def canonical_path(self, path: str) -> str:
        return path.rstrip("/") if path.startswith("/archives/") else path

    def assign(self, a: MirrorArticle) -> None:
        a.post_id = slot_id(self, a, 10000)
        a.path = f"/archives/{a.post_id}"

    def _enc(self, slug: str) -> str:
        # WordPress stores non-ASCII slugs percent-encoded in lower case.
        return quote(slug, safe="-").lower()

    def section_url(self, name: str, page: int = 1) -> str:
        slug = self.sections.get(name) or name.replace(" ", "-")
        return (f"{self.origin}/archives/category/{self._enc(slug)}/"
                + (f"page/{page}/" if page > 1 else ""))

    def tag_url(self, tag: str) -> str:
        return f"{self.origin}/archives/tag/{self._enc(tag.replace(' ', '-'))}/"

    def author_url(self, author: str | None) -> str:
        return f"{self.origin}/archives/author/maseer/"

    def page_url(self, key: str) -> str:
        return f"{self.origin}/{self._enc(ABOUT[key][0].replace(' ', '-'))}/"

    def route(self, path_qs: str) -> Response:
        parts = urlsplit(path_qs)
        path, query = unquote(parts.path), parse_qs(parts.query)
        if path == "/robots.txt":
            return robots(self, "User-agent: *\nDisallow: /wp-admin/\n"
                                "Allow: /wp-admin/admin-ajax.php\n"
                                "Disallow: /wp-login.php\nDisallow: /?s=\nDisallow: /search/\n\n"
                                f"Sitemap: {self.origin}/wp-sitemap.xml\n")
        if path == "/" and "s" in query:
            return self.listing(f"نتائج البحث عن: {query['s'][0]}", [], 1, lambda n: self.home_url)
        if path == "/" and query.get("p", [""])[0].isdigit():
            a = self.by_path.get(f"/archives/{query['p'][0]}")
            return redirect(self, self.url(a)) if a else self.not_found()
        if path == "/":
            return self.html(self.theme.home(self))
        if self.faults and (kind := fault_kind(self.outlet_id, parts.path)):
            return fault_response(self, kind)
        if m := re.fullmatch(r"/archives/(\d+)(/?)", path):
            a = self.by_path.get(f"/archives/{m.group(1)}")
            if a and m.group(2):
                return redirect(self, self.url(a))
            return self.article_page(a) if a else self.not_found()
        if path == "/feed/":
            return self.text(feeds.rss(self, "مصير", self.articles, self.feed_url, self.home_url),
                             "application/rss+xml; charset=UTF-8")
        if path.startswith("/wp-sitemap"):
            return self._sitemap(path)
        if path == "/wp-login.php":
            return self.static("تسجيل الدخول", ["اسم المستخدم أو البريد الإلكتروني"], "")
        if m := re.fullmatch(r"/archives/(category|tag|author)/([^/]+)/(?:page/(\d+)/)?", path):
            kind, slug, page = m.group(1), m.group(2), int(m.group(3) or 1)
            if kind == "category":
                name = next((n for n, s in self.sections.items() if s == slug), None)
                name = name or next((c for a in self.articles for c in a.categories
                                     if c.replace(" ", "-") == slug), None)
                if name is None:
                    return self.not_found()
                items = [a for a in self.articles if a.section == name or name in a.categories]
                return self.listing(name, items, page,
                                    lambda n, name=name: self.section_url(name, n), extra=True)
            if kind == "tag":
                items = [a for a in self.articles if slug in (t.replace(" ", "-") for t in a.tags)]
                base = self.tag_url(slug)
            else:
                items, base = self.articles, self.author_url(None)
            return self.listing(slug, items, page,
                                lambda n, base=base: base + (f"page/{n}/" if n > 1 else ""))
        for key, (title, text) in ABOUT.items():
            if key != "comment-policy" and path == f"/{title.replace(' ', '-')}/":
                return self.static(title, text, self.page_url(key))
        return self.not_found()

    def _sitemap(self, path: str) -> Response:
        xsl = feeds.XSL_WP.format(origin=self.origin, base="")
        xml = "application/xml; charset=UTF-8"
        posts = feeds.chunks(self.articles, 2000)
        if path == "/wp-sitemap.xml":
            entries = [(f"{self.origin}/wp-sitemap-posts-post-{i}.xml", None)
                       for i in range(1, len(posts) + 1)]
            entries += [(f"{self.origin}/wp-sitemap-posts-page-1.xml", None),
                        (f"{self.origin}/wp-sitemap-taxonomies-category-1.xml", None),
                        (f"{self.origin}/wp-sitemap-users-1.xml", None)]
            return self.text(feeds.sitemapindex(entries, xsl), xml)
        if m := re.fullmatch(r"/wp-sitemap-posts-post-(\d+)\.xml", path):
            i = int(m.group(1))
            if not 1 <= i <= len(posts):
                return self.not_found()
            return self.text(feeds.urlset([(self.url(a), a.last_modified) for a in posts[i - 1]],
                                          xsl), xml)
        if path == "/wp-sitemap-posts-page-1.xml":
            return self.text(feeds.urlset([(self.page_url(k), None) for k in ("about", "contact")],
                                          xsl), xml, SITE_EPOCH)
        if path == "/wp-sitemap-taxonomies-category-1.xml":
            return self.text(feeds.urlset([(u, None) for _, u in self.menu()], xsl), xml)
        if path == "/wp-sitemap-users-1.xml":
            return self.text(feeds.urlset([(self.author_url(None), None)], xsl), xml)
        if path == "/wp-sitemap.xsl":
            return self.text('<?xml version="1.0" encoding="UTF-8"?><xsl:stylesheet version="1.0" '
                             'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n',
                             "application/xslt+xml", SITE_EPOCH)
        return self.not_found()


class AlqaedSite(Site):
    outlet_id = "alqaed"
    theme = tagdiv
    page_size = 4
    sections = {"العالمیة": "12", "باكستان": "5", "الأخبار": "3", "اقتصاد": "8", "رياضة": "9",
                "آراء": "14", "English": "21"}
    api_root = "/ar/wp-json/"

    @property
    def home_url(self) -> str:  # type: ignore[override]
        return self.origin + "/ar/"

    @property
    def feed_url(self) -> str:  # type: ignore[override]
        return self.origin + "/ar/feed/"

    def assign(self, a: MirrorArticle) -> None:
        a.post_id = slot_id(self, a, 200000)
        a.path = f"/ar/?p={a.post_id}"

    def new_section_slug(self, name: str) -> str:
        return str(30 + len(self.sections))

    def section_url(self, name: str, page: int = 1) -> str:
        cat = self.sections.get(name) or self.new_section_slug(name)
        return f"{self.origin}/ar/?cat={cat}" + (f"&paged={page}" if page > 1 else "")

    def tag_url(self, tag: str) -> str:
        return f"{self.origin}/ar/?tag={quote(tag.replace(' ', '-'))}"

    def author_url(self, author: str | None) -> str:
        return f"{self.origin}/ar/?author={2 + sum(map(ord, author)) % 7 if author else 1}"

    def page_url(self, key: str) -> str:
        return f"{self.origin}/ar/?page_id={ {'about': 2, 'contact': 5}.get(key, 7) }"

    def route(self, path_qs: str) -> Response:
        parts = urlsplit(path_qs)
        path, query = unquote(parts.path), parse_qs(parts.query)
        if path == "/robots.txt":
            return robots(self, "User-agent: *\nDisallow: /ar/wp-admin/\n"
                                "Allow: /ar/wp-admin/admin-ajax.php\n"
                                "Disallow: /ar/?s=\n\n"
                                f"Sitemap: {self.origin}/ar/sitemap_index.xml\n")
        if path in ("/", "/ar"):
            return redirect(self, self.home_url)
        if path == "/ar/feed/":
            return self.text(feeds.rss(self, "القائد", self.articles, self.feed_url, self.home_url,
                                       full_text=False), "application/rss+xml; charset=UTF-8")
        if path.endswith("sitemap_index.xml") or path.endswith("-sitemap.xml") or \
                re.fullmatch(r"/ar/post-sitemap\d+\.xml", path):
            return self._sitemap(path)
        if path != "/ar/":
            return self.not_found()
        if self.faults and (kind := fault_kind(self.outlet_id, path_qs)):
            return fault_response(self, kind)
        arg = {k: v[0] for k, v in query.items()}
        if arg.get("p", "").isdigit():
            a = self.by_path.get(f"/ar/?p={arg['p']}")
            return self.article_page(a) if a else self.not_found()
        paged = arg.get("paged", "1")
        page = int(paged) if paged.isdigit() else 0
        if "cat" in arg:
            name = next((n for n, c in self.sections.items() if c == arg["cat"]), None)
            if name is None:
                return self.not_found()
            return self.listing(name, self.section_items(name), page,
                                lambda n, name=name: self.section_url(name, n), extra=True)
        if "tag" in arg:
            tag = arg["tag"]
            items = [a for a in self.articles if tag in (t.replace(" ", "-") for t in a.tags)]
            return self.listing(tag, items, page, lambda n, tag=tag: self.tag_url(tag)
                                + (f"&paged={n}" if n > 1 else ""))
        if "author" in arg:
            items = [a for a in self.articles if self.author_url(a.author).endswith(
                f"author={arg['author']}")]
            return self.listing("أرشيف الكاتب", items, page, lambda n, au=arg["author"]:
                                f"{self.origin}/ar/?author={au}" + (f"&paged={n}" if n > 1 else ""))
        if "page_id" in arg:
            key = {"2": "about", "5": "contact"}.get(arg["page_id"])
            return self.static(*ABOUT[key], self.page_url(key)) if key else self.not_found()
        if "s" in arg:
            return self.listing(f"نتائج البحث: {arg['s']}", [], 1, lambda n: self.home_url)
        return self.html(self.theme.home(self))

    def _sitemap(self, path: str) -> Response:
        xml = "application/xml; charset=UTF-8"
        posts = feeds.chunks(self.articles, 1000)
        names = ["post-sitemap.xml"] + [f"post-sitemap{i}.xml" for i in range(2, len(posts) + 1)]
        if path == "/ar/sitemap_index.xml":
            entries = [(f"{self.origin}/ar/{n}", max((a.last_modified for a in chunk),
                                                     default=SITE_EPOCH))
                       for n, chunk in zip(names, posts, strict=True)]
            entries += [(f"{self.origin}/ar/page-sitemap.xml", SITE_EPOCH),
                        (f"{self.origin}/ar/category-sitemap.xml", self.lists_modified()),
                        (f"{self.origin}/ar/news-sitemap.xml", self.lists_modified())]
            return self.text(feeds.sitemapindex(entries), xml)
        if path[4:] in names:
            chunk = posts[names.index(path[4:])]
            return self.text(feeds.urlset([(self.url(a), a.last_modified) for a in chunk]), xml)
        if path == "/ar/news-sitemap.xml":
            return self.text(feeds.news_sitemap(self, self.articles[:20], "القائد"), xml)
        if path == "/ar/page-sitemap.xml":
            return self.text(feeds.urlset([(self.page_url(k), None) for k in ("about", "contact")]),
                             xml, SITE_EPOCH)
        if path == "/ar/category-sitemap.xml":
            return self.text(feeds.urlset([(u, None) for _, u in self.menu()]), xml)
        return self.not_found()
